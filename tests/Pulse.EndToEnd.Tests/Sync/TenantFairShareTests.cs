using Pulse.Core.Extract;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// Issue #4: one worker pool serves every tenant, and a tenant with a big backlog must not starve one that starts later.
/// Measured in turns, from the simulator's log of requests per token, while both tenants had work.
/// </summary>
public sealed class TenantFairShareTests
{
    private const string BigToken = "big-token";
    private const string SmallToken = "small-token";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Issue_4_BigTenantStartsFirst_SmallTenantGetsEveryOtherQueryWhileItHasWork(Backend backend)
    {
        // Listing pages of 10 PRs make each repository a chain of pages, each claimable only once the one before committed.
        // The big tenant syncs 20 repositories (repo-001 alone is a chain of 33 pages), the small one repo-004 (9 pages).
        var spec = SyntheticSpec.Parse("repos=21,prs=1200,seed=31,commits_max=20,big_body=false,tails=none");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(60), Tokens = [BigToken, SmallToken],
        }, Ct);
        await using var harness = new SyncHarness(backend);
        var extraction = new ExtractOptions { PullRequestPageSize = 10, InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(2) };
        // One extraction consumer: turns are taken one at a time, so who gets them depends on the order of turns alone, not on timing.
        await using var pool = await SharedWorkerPool.StartAsync(harness, new PipelineOptions { ExtractWorkers = 1, TransformWorkers = 1 }, extraction, Ct);

        var big = pool.SyncAsync(sim, "big", BigToken, [], Ct);
        await WaitUntilAsync(() => big.IsCompleted || sim.Stats.For(BigToken).Requests >= 8);
        Assert.False(big.IsCompleted, "the big tenant's run ended before the small one started");
        var small = await pool.SyncAsync(sim, "small", SmallToken, ["repo-004"], Ct);
        var bigResult = await big;
        Assert.True(small.Succeeded, small.Error);
        Assert.True(bigResult.Succeeded, bigResult.Error);

        // While both had work: from the small tenant's first request (its discovery) to the last request of whichever ended first.
        var log = sim.Stats.RecentRequests();
        var first = IndexOf(log, SmallToken, fromEnd: false);
        var last = Math.Min(IndexOf(log, SmallToken, fromEnd: true), IndexOf(log, BigToken, fromEnd: true));
        var window = log.Skip(first).Take(last - first + 1).ToList();
        var smallQueries = window.Count(t => t == SmallToken);
        var bigQueries = window.Count(t => t == BigToken);
        var longestBigStreak = window.Aggregate((Longest: 0, Current: 0), (s, t) => t == BigToken
            ? (Math.Max(s.Longest, s.Current + 1), s.Current + 1) : (s.Longest, 0)).Longest;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{backend}: {string.Concat(log.Select(t => t == BigToken ? 'B' : 's'))}\nwhile both had work: small {smallQueries} queries, big {bigQueries}, longest big streak {longestBigStreak}; " +
            $"requests in all: big {sim.Stats.For(BigToken).Requests}, small {sim.Stats.For(SmallToken).Requests}; " +
            $"extraction messages in circulation at most {pool.Circulation.MostExtractMessages}");

        Assert.True(window.Count >= 12, $"the tenants overlapped for {window.Count} queries only: too few to measure a share");
        // Turns alternate while both have work: one big query between two small ones. 3 leaves room for big turns that
        // start while the small run is being launched (between its discovery and its first turn).
        Assert.True(longestBigStreak <= 3, $"the big tenant sent {longestBigStreak} queries in a row while the small one waited ({bigQueries} big, {smallQueries} small)");
        Assert.True(smallQueries * 5 >= 2 * window.Count, $"the small tenant got {smallQueries} of {window.Count} queries while it had work");
        // Each run was launched with one message, and each turn queues one successor at most (two while a hand-on and the
        // message it came from are both open): the messages do not multiply with the backlog.
        Assert.InRange(pool.Circulation.MostExtractMessages, 1, 4);
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Issue_4_BigTenantsLimitSpent_SmallTenantIsServedMeanwhile(Backend backend)
    {
        // 20 points per window per token: the big tenant (35 queries) spends its budget within seconds, then waits for its window;
        // the small one (12 queries) needs less than its own. The simulator's clock is held, so the big tenant's window cannot
        // reset while the small run is served, however slow the machine: its budget stays spent until the test ends.
        var spec = SyntheticSpec.Parse("repos=21,prs=1200,seed=31,commits_max=20,big_body=false,tails=none");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(60), Tokens = [BigToken, SmallToken],
            PointsPerHour = 20, RateWindow = TimeSpan.FromMinutes(10), TimeProvider = new HeldClock(DateTimeOffset.UtcNow),
        }, Ct);
        await using var harness = new SyncHarness(backend);
        var extraction = new ExtractOptions { PullRequestPageSize = 10, InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(2) };
        // One extraction consumer: were it to wait out the big tenant's limit, nobody would be served meanwhile.
        await using var pool = await SharedWorkerPool.StartAsync(harness, new PipelineOptions { ExtractWorkers = 1, TransformWorkers = 1 }, extraction, Ct);

        using var stopBig = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var big = pool.SyncAsync(sim, "big", BigToken, [], stopBig.Token);
        await WaitUntilAsync(() => big.IsCompleted || sim.Stats.For(BigToken).Points >= 12);
        var small = await pool.SyncAsync(sim, "small", SmallToken, ["repo-004"], Ct);
        var bigPoints = sim.Stats.For(BigToken).Points;
        await stopBig.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{backend}: {string.Concat(sim.Stats.RecentRequests().Select(t => t == BigToken ? 'B' : 's'))}\n" +
            $"the small run ended after {sim.Stats.For(SmallToken).Requests} requests; the big tenant had spent {bigPoints} points by then");
        Assert.True(small.Succeeded, small.Error);
        // The small run ended while the big tenant's budget was spent: its turns did not wait behind the big one's limit.
        Assert.InRange(bigPoints, 12, 20);
    }

    private static int IndexOf(IReadOnlyList<string> log, string token, bool fromEnd)
    {
        var indexes = Enumerable.Range(0, log.Count).Where(i => log[i] == token).ToList();
        Assert.NotEmpty(indexes);
        return fromEnd ? indexes[^1] : indexes[0];
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the big tenant's run to get under way");
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }
    }
}
