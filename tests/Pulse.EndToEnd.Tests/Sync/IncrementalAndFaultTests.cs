using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

public sealed class IncrementalAndFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task IncrementalSync_AfterMutations_EqualsAFreshFullSync(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=30,seed=11,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, Ct);
        await using var incremental = new SyncHarness(backend);
        Assert.True((await incremental.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        await using var c = await incremental.OpenAsync();
        var prs = (await c.QueryAsync<(string Repo, int Number, string State)>(
            "SELECT r.name, p.number, p.state FROM prs p JOIN repositories r ON r.id = p.repository_id ORDER BY p.number LIMIT 6")).ToList();
        var closedOrMerged = prs.First(p => p.State != "OPEN");
        var open = prs.FirstOrDefault(p => p.State == "OPEN");
        await MutateAsync(sim, new JsonObject { ["op"] = "edit_pr", ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = prs[0].Repo, ["number"] = prs[0].Number,
            ["fields"] = new JsonObject { ["title"] = "Edited title after the first sync" } });
        await MutateAsync(sim, new JsonObject { ["op"] = "add_comment", ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = closedOrMerged.Repo, ["number"] = closedOrMerged.Number,
            ["comment"] = new JsonObject { ["body"] = "A new comment on a closed PR", ["author"] = new JsonObject { ["__typename"] = "User", ["login"] = "late-reviewer" } } });
        if (open != default)
            await MutateAsync(sim, new JsonObject { ["op"] = "merge_pr", ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = open.Repo, ["number"] = open.Number });

        var second = await incremental.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct);
        Assert.True(second.Succeeded, second.Error);
        await using var fresh = new SyncHarness(backend);
        Assert.True((await fresh.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        Assert.Equal(await fresh.CanonicalDumpAsync(), await incremental.CanonicalDumpAsync());
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs_comments WHERE body = 'A new comment on a closed PR'"));
        // The incremental run fetched only what changed: far fewer of GitHub's requests than the first, full run. (Not pages:
        // at 30 PRs both runs take about as many rounds — listing, follow-ups, thread comments — whatever they carry.)
        var requests = (await c.QueryAsync<long>("SELECT requests FROM etl_job_runs ORDER BY id")).ToList();
        Assert.True(requests[1] * 3 < requests[0], $"incremental run asked {requests[1]} requests, the full run {requests[0]}");
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_With502sResetsTruncationAndPartialErrors_CompletesWithTheSameRows(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=25,seed=13,big_body=false");
        await using var clean = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, Ct);
        await using var faulty = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = spec, ProcessingTimeScale = 0, Seed = 7,
            Faults = new Dictionary<FaultKind, double> { [FaultKind.BadGateway502] = 0.1, [FaultKind.ConnectionReset] = 0.05, [FaultKind.Partial] = 0.05, [FaultKind.Truncated] = 0.05 },
        }, Ct);
        await using var expected = new SyncHarness(backend);
        await using var actual = new SyncHarness(backend);

        Assert.True((await expected.SyncAsync(clean, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);
        var result = await actual.SyncAsync(faulty, SyntheticDataset.OrganizationLogin, ct: Ct);

        Assert.True(result.Succeeded, result.Error);
        var (clean_, actual_) = (await expected.CanonicalDumpAsync(), await actual.CanonicalDumpAsync());
        FaultSuite.FaultSuiteLog.Compare($"faults-{backend}", clean_, actual_);
        Assert.Equal(clean_, actual_);
        var stats = await faulty.HttpClient().GetFromJsonAsync<JsonObject>("/_sim/stats", Ct);
        Assert.Contains("fault", stats!.ToJsonString(), StringComparison.Ordinal);
        FaultSuite.FaultSuiteLog.Faults($"faults-{backend}", Errors(stats));
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_WhenThePrimaryLimitRunsOut_PausesUntilResetAndFinishes(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=25,seed=17,big_body=false");
        // The simulator's clock is held: its 3-point window resets only when this test moves the clock to the moment Pulse
        // said it would resume, so the pause happens however slow the machine is. Pulse waits on the real clock meanwhile;
        // 12 s leaves the test ample time to see the pause and move the clock before Pulse's wait ends.
        var clock = new HeldClock(DateTimeOffset.UtcNow);
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = spec, ProcessingTimeScale = 0, PointsPerHour = 3, RateWindow = TimeSpan.FromSeconds(12), TimeProvider = clock,
        }, Ct);
        await using var harness = new SyncHarness(backend);

        var sync = harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin,
            budget: new RateLimitBudgetOptions { ReserveFraction = 0, ResetMargin = TimeSpan.FromMilliseconds(200), Window = TimeSpan.FromSeconds(12) }, ct: Ct);
        while (!sync.IsCompleted)
        {
            DateTimeOffset[] resumes;
            lock (harness.Events) resumes = [.. harness.Events.Where(e => e.Status.Overall == "RATE_LIMITED").Select(e => e.Status.RateLimitResumeAt).OfType<DateTimeOffset>()];
            if (resumes.Length > 0) clock.MoveTo(resumes.Max());
            await Task.WhenAny(sync, Task.Delay(TimeSpan.FromMilliseconds(50), Ct));
        }
        var result = await sync;

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(harness.Events, e => e.Status.Overall == "RATE_LIMITED" && e.Status.RateLimitResumeAt is not null);
        // The budget paused before the limit: GitHub never had to answer RATE_LIMITED (no request was sent while exhausted).
        var stats = await sim.HttpClient().GetFromJsonAsync<JsonObject>("/_sim/stats", Ct);
        Assert.Null(stats!["totals"]?["errors"]?["rate_limited"]);
        Assert.True(stats["totals"]?["points"]?.GetValue<long>() > 3, "the sync needed more than one window's points");
        await using var c = await harness.OpenAsync();
        var expected = await SimulatorQueries.PullRequestCountAsync(sim, SyntheticDataset.OrganizationLogin, Ct);
        Assert.Equal(expected, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs"));
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_AgainstASecondaryLimit_HonoursRetryAfterAndCompletes(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=20,seed=23,big_body=false");
        // Two requests per eight-second window: the sync needs about six, so it hits GitHub's secondary limit and must wait
        // as told. The simulator's clock is held, so the third request is refused however slow the machine is; each refusal
        // moves the clock one window on, while Pulse waits out its retry-after on the real clock.
        var clock = new HeldClock(DateTimeOffset.UtcNow);
        var window = TimeSpan.FromSeconds(8);
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = spec, ProcessingTimeScale = 0, RequestsPerMinutePerToken = 2, CpuWindow = window, TimeProvider = clock,
        }, Ct);
        await using var clean = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, Ct);
        await using var expected = new SyncHarness(backend);
        await using var actual = new SyncHarness(backend);
        Assert.True((await expected.SyncAsync(clean, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        var sync = actual.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct);
        for (long moved = 0; !sync.IsCompleted; await Task.WhenAny(sync, Task.Delay(TimeSpan.FromMilliseconds(50), Ct)))
        {
            var refusals = sim.Stats.For("sim-token").Errors.GetValueOrDefault(SimulatorStats.Kinds.Secondary);
            for (; moved < refusals; moved++) clock.MoveTo(clock.GetUtcNow() + window);
        }
        var result = await sync;

        Assert.True(result.Succeeded, result.Error);
        var (clean_, actual_) = (await expected.CanonicalDumpAsync(), await actual.CanonicalDumpAsync());
        FaultSuite.FaultSuiteLog.Compare($"secondary-{backend}", clean_, actual_);
        Assert.Equal(clean_, actual_);
        var stats = await sim.HttpClient().GetFromJsonAsync<JsonObject>("/_sim/stats", Ct);
        Assert.Contains("secondary", stats!.ToJsonString(), StringComparison.Ordinal);
        FaultSuite.FaultSuiteLog.Faults($"secondary-{backend}", Errors(stats));
    }

    /// <summary>Errors the simulator answered with (faults, limits), summed over its counters.</summary>
    private static long Errors(JsonObject stats) =>
        stats["totals"]?["errors"] is JsonObject errors ? errors.Sum(e => e.Value?.GetValue<long>() ?? 0) : 0;

    private static async Task MutateAsync(GitHubSimulatorServer sim, JsonObject mutation)
    {
        using var http = sim.HttpClient();
        using var response = await http.PostAsync("/_sim/mutate", new StringContent(mutation.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}

internal static class SimulatorHttp
{
    public static HttpClient HttpClient(this GitHubSimulatorServer sim) => new() { BaseAddress = sim.BaseUrl };
}
