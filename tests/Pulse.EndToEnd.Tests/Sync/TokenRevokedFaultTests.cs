using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Pulse.Core.Extract;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Issue 6, fault matrix: a token revoked mid-run ends in a clear, recorded, resumable failure.</summary>
public sealed class TokenRevokedFaultTests
{
    private const string OldToken = "ghp_RevokedMidRunToken0000000000000000001";
    private const string NewToken = "ghp_IssuedAfterTheRevocation000000000002";
    private const string Expected = "GitHub rejected the token (401 Bad credentials): it is unknown, expired or revoked; update the integration's token and run again.";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Small queries, so the run is many requests long and the revocation lands in its middle.</summary>
    internal static readonly ExtractOptions ManySmallQueries = new()
    {
        InitialItemsPerQuery = 20, MinItemsPerQuery = 20, MaxItemsPerQuery = 20,
        InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(2),
    };

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_TokenRevokedMidRun_FailsClearlyWithoutRetryingThenANewTokenResumesToTheRowsOfAnUninterruptedRun(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=40,seed=23,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(50), Tokens = [OldToken],
        }, Ct);
        await using var clean = new SyncHarness(backend);
        Assert.True((await clean.SyncAsync(sim, SyntheticDataset.OrganizationLogin, token: OldToken, extraction: ManySmallQueries, ct: Ct)).Succeeded);
        var cleanRequests = sim.Stats.For(OldToken).Requests;
        var cleanPages = await ScalarAsync(clean, "SELECT count(*) FROM raw_extraction_data");
        sim.Reset();

        await using var harness = new SyncHarness(backend);
        var log = new ConcurrentQueue<string>();
        var first = harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, token: OldToken, extraction: ManySmallQueries, ct: Ct, log: log.Enqueue);
        // Revoke once about half of the pages are stored: the run is well under way, with work left.
        while (!first.IsCompleted && await harness.CommittedPagesAsync() < cleanPages / 2) await Task.Delay(10, Ct);
        Assert.False(first.IsCompleted, "the run ended before the token could be revoked mid-run");
        using (var control = sim.HttpClient())
            (await control.PostAsJsonAsync("/_sim/tokens/revoke", new JsonObject { ["token"] = OldToken }, Ct)).EnsureSuccessStatusCode();
        var storedAtRevocation = await harness.CommittedPagesAsync();
        var rowsAtRevocation = (await harness.CanonicalRowsAsync()).Sum(t => t.Count);

        var failed = await first;

        Assert.False(failed.Succeeded);
        Assert.Equal(Expected, failed.Error);
        // No retry storm: a 401 is not retried; at most one request per extraction worker meets the revoked token.
        var rejected = sim.Stats.For("(none)").Requests;
        Assert.InRange(rejected, 1, 4);
        await using (var c = await harness.OpenAsync())
        {
            Assert.Equal(("failed", Expected), await c.QuerySingleAsync<(string, string)>("SELECT status, error FROM etl_job_runs"));
            Assert.Equal(("FAILED", Expected), await c.QuerySingleAsync<(string, string)>("SELECT overall, error_message FROM etl_jobs WHERE job_name = 'github_prs'"));
        }
        // Everything stored stays, and every stored row is one of the uninterrupted run (by its ids: a PR's derived counts still move).
        Assert.True(await harness.CommittedPagesAsync() >= storedAtRevocation);
        var stored = await harness.CanonicalRowsAsync();
        Assert.True(stored.Sum(t => t.Count) >= rowsAtRevocation);
        var cleanIdentities = Identities(await clean.CanonicalRowsAsync()).ToHashSet();
        Assert.All(Identities(stored), id => Assert.Contains(id, cleanIdentities));
        var cleanDump = await clean.CanonicalDumpAsync();
        await AssertTokenNowhereAsync(harness, log, OldToken);

        Assert.True(sim.AddToken(NewToken));
        var oldTokenAnswered = sim.Stats.For(OldToken).Requests;
        var resumed = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, token: NewToken, extraction: ManySmallQueries, ct: Ct, log: log.Enqueue);

        Assert.True(resumed.Succeeded, resumed.Error);
        Assert.Equal(failed.RunId, resumed.RunId);
        var actualDump = await harness.CanonicalDumpAsync();
        FaultSuite.FaultSuiteLog.Compare($"token-revoked-{backend}", cleanDump, actualDump);
        FaultSuite.FaultSuiteLog.Faults($"token-revoked-{backend}", 1 + rejected);
        Assert.Equal(cleanDump, actualDump);
        // Resumed from the checkpoints: every page was fetched once over both attempts, so the requests add up to about one clean run.
        Assert.Equal(await ScalarAsync(clean, "SELECT sum(pages) FROM checkpoints"), await ScalarAsync(harness, "SELECT sum(pages) FROM checkpoints"));
        var newTokenRequests = sim.Stats.For(NewToken).Requests;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"clean run {cleanRequests} requests; revoked after {oldTokenAnswered}, {rejected} rejected; resumed with {newTokenRequests}");
        Assert.True(newTokenRequests < cleanRequests, $"the resumed run sent {newTokenRequests} requests, a whole run {cleanRequests}");
        Assert.True(oldTokenAnswered + newTokenRequests <= cleanRequests + 4,
            $"{oldTokenAnswered} + {newTokenRequests} requests over both attempts, {cleanRequests} for an uninterrupted run");
        await AssertTokenNowhereAsync(harness, log, NewToken);
    }

    /// <summary>The token is in no log line, no status event and no stored text column (only its protected form is stored).</summary>
    private static async Task AssertTokenNowhereAsync(SyncHarness harness, IEnumerable<string> log, string token)
    {
        Assert.DoesNotContain(log, line => line.Contains(token, StringComparison.Ordinal));
        lock (harness.Events)
            Assert.DoesNotContain(harness.Events, e => JsonSerializer.Serialize(e).Contains(token, StringComparison.Ordinal));
        await using var c = await harness.OpenAsync();
        var columns = harness.Backend == Backend.Sqlite
            ? await c.QueryAsync<(string Table, string Column)>(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.type = 'TEXT'")
            : await c.QueryAsync<(string Table, string Column)>(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'character varying')");
        foreach (var (table, column) in columns)
        {
            var sql = harness.Backend == Backend.Sqlite
                ? $"SELECT count(*) FROM \"{table}\" WHERE instr(\"{column}\", @token) > 0"
                : $"SELECT count(*) FROM \"{table}\" WHERE strpos(\"{column}\"::text, @token) > 0";
            Assert.True(await c.ExecuteScalarAsync<long>(sql, new { token }) == 0, $"the token is stored in clear in {table}.{column}");
        }
    }

    /// <summary>Each row as table number and its first two fields: the node ids that make it that row.</summary>
    internal static IEnumerable<string> Identities(IReadOnlyList<IReadOnlyList<string>> tables) =>
        tables.SelectMany((rows, table) => rows.Select(row => $"{table}:{string.Join('|', row.Split('|').Take(2))}"));

    private static async Task<long> ScalarAsync(SyncHarness harness, string sql)
    {
        await using var c = await harness.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql);
    }
}
