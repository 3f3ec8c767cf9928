using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Pulse.Core.Extract;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// Issue 6, fault matrix: a repository deleted mid-run. The run finishes for the others; the deleted one
/// is marked inactive with a note, keeps what was stored, and costs nothing in later runs.
/// </summary>
public sealed class RepositoryDeletedFaultTests
{
    private const string Victim = "repo-002";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_RepositoryDeletedMidRun_OthersEndAsWithoutItAndItIsDeactivatedKeepingItsRowsAndCostsNothingAfter(Backend backend)
    {
        // repos=4: the organisation owns repo-001..003 (the last one belongs to a user). Two PRs per listing page,
        // so the victim's listing is still going when it is deleted.
        var spec = SyntheticSpec.Parse("repos=4,prs=60,seed=29,big_body=false");
        var extraction = TokenRevokedFaultTests.ManySmallQueries with { PullRequestPageSize = 2 };
        var owner = SyntheticDataset.OrganizationLogin;
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(30) }, Ct);
        await using var withoutIt = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, Ct);
        withoutIt.DeleteRepository(owner, Victim);
        await using var full = new SyncHarness(backend);
        Assert.True((await full.SyncAsync(sim, owner, extraction: extraction, ct: Ct)).Succeeded);
        await using var expected = new SyncHarness(backend);
        Assert.True((await expected.SyncAsync(withoutIt, owner, extraction: extraction, ct: Ct)).Succeeded);

        await using var harness = new SyncHarness(backend);
        var run = harness.SyncAsync(sim, owner, extraction: extraction, ct: Ct);
        while (!run.IsCompleted && !await VictimListingUnderWayAsync(harness)) await Task.Delay(10, Ct);
        Assert.False(run.IsCompleted, "the run ended before the repository could be deleted mid-run");
        using (var control = sim.HttpClient())
            (await control.PostAsJsonAsync("/_sim/repositories/delete", new JsonObject { ["owner"] = owner, ["repo"] = Victim }, Ct)).EnsureSuccessStatusCode();
        var result = await run;

        Assert.True(result.Succeeded, result.Error);
        await using var c = await harness.OpenAsync();
        Assert.Equal([Victim], await c.QueryAsync<string>("SELECT name FROM repositories WHERE NOT active"));
        Assert.Equal(
            $"Repository {owner}/{Victim} was not found on GitHub (deleted, renamed, or no longer visible to the token): " +
            "it is marked inactive and left out of later runs; its stored rows are kept.",
            await c.QuerySingleAsync<string>($"SELECT k.error FROM checkpoints k JOIN repositories r ON r.id = k.repository_id WHERE r.name = '{Victim}' AND k.kind = 'pull_requests' AND k.status = 'done'"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM checkpoints WHERE status <> 'done'"));

        // The other repositories end exactly as a run of the data set without the victim; the victim keeps what was stored, all of it true.
        var victimIds = (await c.QueryAsync<string>(
            $"SELECT node_id FROM repositories WHERE name = '{Victim}' UNION SELECT p.node_id FROM prs p JOIN repositories r ON r.id = p.repository_id WHERE r.name = '{Victim}'")).ToHashSet();
        var tables = await harness.CanonicalRowsAsync();
        bool OfVictim(string row) => victimIds.Contains(row.Split('|', 2)[0]);
        var others = SyncHarness.Dump(tables.Select(rows => rows.Where(r => !OfVictim(r))));
        var expectedDump = await expected.CanonicalDumpAsync();
        FaultSuite.FaultSuiteLog.Faults($"repository-deleted-{backend}", 1);
        FaultSuite.FaultSuiteLog.Compare($"repository-deleted-{backend}", expectedDump, others);
        Assert.Equal(expectedDump, others);
        // Kept rows are rows of the full data set: by their ids (a PR's derived counts and metrics reflect what was fetched), and
        // commits, reviews and threads (tables 2..4) field for field.
        Assert.True(victimIds.Count >= 3, $"the victim kept {victimIds.Count - 1} pull requests; its first listing page holds 2");
        var fullTables = await full.CanonicalRowsAsync();
        var kept = tables.Select(rows => (IReadOnlyList<string>)rows.Where(OfVictim).ToList()).ToList();
        var fullIds = TokenRevokedFaultTests.Identities(fullTables).ToHashSet();
        // pr_metrics (the last table) is derived, like a PR's counts: from the children that were fetched before the deletion.
        Assert.All(TokenRevokedFaultTests.Identities(kept.Take(kept.Count - 1).ToList()), id => Assert.Contains(id, fullIds));
        var fullRows = fullTables.Skip(2).Take(3).SelectMany(rows => rows).ToHashSet();
        Assert.All(kept.Skip(2).Take(3).SelectMany(rows => rows), row => Assert.Contains(row, fullRows));

        // A re-sync asks nothing about the deleted repository: it costs what a re-sync of the data set without it costs.
        var before = (sim.Stats.For("sim-token").Requests, withoutIt.Stats.For("sim-token").Requests);
        var again = await harness.SyncAsync(sim, owner, extraction: extraction, ct: Ct);
        Assert.True(again.Succeeded, again.Error);
        Assert.True((await expected.SyncAsync(withoutIt, owner, extraction: extraction, ct: Ct)).Succeeded);
        Assert.Equal(withoutIt.Stats.For("sim-token").Requests - before.Item2, sim.Stats.For("sim-token").Requests - before.Item1);
        const string LastRun = "(SELECT max(id) FROM etl_job_runs)";
        Assert.Equal(0, await c.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM checkpoints k JOIN repositories r ON r.id = k.repository_id WHERE r.name = '{Victim}' AND k.run_id = {LastRun}"));
        await using (var e = await expected.OpenAsync())
            Assert.Equal(await e.ExecuteScalarAsync<long>($"SELECT sum(requests) FROM raw_extraction_data WHERE run_id = {LastRun}"),
                await c.ExecuteScalarAsync<long>($"SELECT sum(requests) FROM raw_extraction_data WHERE run_id = {LastRun}"));
        Assert.Equal(SyncHarness.Dump(tables), await harness.CanonicalDumpAsync());
    }

    /// <summary>The victim's PR listing has stored a page and has more to go.</summary>
    private static async Task<bool> VictimListingUnderWayAsync(SyncHarness harness)
    {
        if (!harness.Exists) return false;
        try
        {
            await using var c = await harness.OpenAsync();
            return await c.ExecuteScalarAsync<long>($"""
                SELECT count(*) FROM checkpoints k JOIN repositories r ON r.id = k.repository_id
                WHERE r.name = '{Victim}' AND k.kind = 'pull_requests' AND k.status = 'pending' AND k.pages >= 1
                """) > 0;
        }
        catch (DbException)
        {
            return false;
        }
    }
}
