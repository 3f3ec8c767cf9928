using Dapper;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>SIGKILL the real CLI mid-sync, again and again; the end state must equal one uninterrupted run.</summary>
public sealed class CrashRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_KilledRepeatedlyThenCompleted_EqualsAnUninterruptedRunAndRefetchesNoCommittedPage()
    {
        // CI deals six kills; a soak run (scripts/fault-suite.sh --soak) twenty, over a larger organisation.
        var wanted = FaultSuite.FaultSuiteLog.KillsWanted(ciDefault: 6);
        // Sized so the run outlasts every kill: since extraction overlaps two queries, 40 PRs and 120 ms per kill were
        // sometimes done after three of six kills.
        var spec = SyntheticSpec.Parse($"repos=4,prs={Math.Max(240, 60 * wanted)},seed=29,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(250) }, Ct);
        await using var clean = new SyncHarness();
        Assert.True((await clean.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        await using var crashed = new SyncHarness();
        string[] args = ["sync", "--github-url", sim.GraphQLUrl.ToString(), "--token", "sim-token", "--owner", SyntheticDataset.OrganizationLogin,
            "--database", $"sqlite:{crashed.DatabasePath}", "--no-embeddings", "--quiet"];
        var random = new Random(29);
        var kills = 0;
        for (var attempt = 0; attempt < 2 * wanted && kills < wanted; attempt++)
        {
            using var child = PulseProcess.Start(args);
            // Kill at a seeded moment: after one more committed page (mid-extraction), or after a random delay
            // (which lands in a request, a transaction, a transform or between a commit and its follow-up).
            var target = await crashed.CommittedPagesAsync() + 1;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            if (attempt % 2 == 0)
                while (!child.HasExited && await crashed.CommittedPagesAsync() < target && DateTime.UtcNow < deadline) await Task.Delay(random.Next(5, 40), Ct);
            else
                await Task.Delay(random.Next(600, 1800), Ct);
            if (child.HasExited) break;
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);
            kills++;
        }
        Assert.True(kills >= Math.Min(wanted, 4), $"only {kills} of {wanted} kills landed before the sync finished");
        FaultSuite.FaultSuiteLog.Kills(nameof(CrashRecoveryTests), kills);

        using (var final = PulseProcess.Start(args))
        {
            await final.WaitForExitAsync(Ct);
            Assert.Equal(0, final.ExitCode);
        }

        var (expected, actual) = (await clean.CanonicalDumpAsync(), await crashed.CanonicalDumpAsync());
        FaultSuite.FaultSuiteLog.Compare(nameof(CrashRecoveryTests), expected, actual);
        Assert.Equal(expected, actual);
        await using var c = await crashed.OpenAsync();
        await using var cc = await clean.OpenAsync();
        // Every kill before the end resumed the one full run; a kill that lands after the run finished (or the
        // final invocation after that) rightly starts an incremental run, which must then find nothing new.
        var runs = (await c.QueryAsync<(long Id, string Status, string? Since)>("SELECT id, status, since FROM etl_job_runs ORDER BY id")).ToList();
        Assert.Equal("succeeded", runs[0].Status);
        Assert.Null(runs[0].Since);
        Assert.All(runs.Skip(1), r => Assert.NotNull(r.Since));
        // Pages per checkpoint of the full run equal the clean run's: nothing committed was fetched again after a kill.
        Assert.Equal(await cc.ExecuteScalarAsync<long>("SELECT sum(pages) FROM checkpoints"),
            await c.ExecuteScalarAsync<long>("SELECT sum(pages) FROM checkpoints WHERE run_id = @Id", new { runs[0].Id }));
        Assert.Equal("FINISHED", await c.ExecuteScalarAsync<string>("SELECT overall FROM etl_jobs WHERE job_name = 'github_prs'"));
    }
}
