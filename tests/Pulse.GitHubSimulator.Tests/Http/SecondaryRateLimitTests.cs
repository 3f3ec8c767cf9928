using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class SecondaryRateLimitTests
{
    private const string Message =
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ";

    [Fact]
    public async Task Post_MoreParallelRequestsThanAllowed_Returns403WithRetryAfter()
    {
        await using var sim = await StartAsync(new SimulatorOptions
        {
            MaxConcurrentRequestsPerToken = 2, Latency = TimeSpan.FromSeconds(2), ProcessingTimeScale = 0,
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => sim.PostAsync("cost:1")));

        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.Forbidden).ToList();
        // Two are in flight for 2 s; on a loaded machine a late sender may find a slot free again.
        Assert.InRange(responses.Count(r => r.StatusCode == HttpStatusCode.OK), 2, 3);
        Assert.InRange(rejected.Count, 3, 4);
        var body = await BodyAsync(rejected[0]);
        Assert.StartsWith(Message + Header(rejected[0], "x-github-request-id") + ".", (string)body["message"]!);
        Assert.Equal("https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            (string)body["documentation_url"]!);
        Assert.Equal("60", Header(rejected[0], "retry-after"));
        Assert.InRange(int.Parse(Header(rejected[0], "x-ratelimit-used")), 0, 2);   // rejected ones are never charged
    }

    [Fact]
    public async Task Post_SequentialRequestsUnderConcurrencyLimit_AreAllServed()
    {
        await using var sim = await StartAsync(new SimulatorOptions { MaxConcurrentRequestsPerToken = 1, ProcessingTimeScale = 0 });

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await sim.PostAsync("cost:1")).StatusCode);
    }

    [Fact]
    public async Task Post_MoreRequestsPerMinuteThanAllowed_Returns403UntilTheMinutePasses()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sim = await StartAsync(new SimulatorOptions { RequestsPerMinutePerToken = 3, ProcessingTimeScale = 0, TimeProvider = clock });

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await sim.PostAsync("cost:1")).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(20));
        var limited = await sim.PostAsync("cost:1");
        clock.Advance(TimeSpan.FromSeconds(41));
        var later = await sim.PostAsync("cost:1");

        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("40", Header(limited, "retry-after"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.Secondary]);
    }

    [Fact]
    public async Task Post_ParallelClientsOverCpuBudget_Returns403()
    {
        // 4 parallel requests of 300 ms real processing spend 1.2 s, over a 0.5 s budget.
        await using var sim = await StartAsync(new SimulatorOptions { CpuBudget = TimeSpan.FromMilliseconds(500), ProcessingTimeScale = 1 });

        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => sim.PostAsync("ms:300")));
        var next = await sim.PostAsync("ms:300");

        // The first two always fit (0.3 s each < 0.5 s); once 0.6 s is spent every request is refused.
        Assert.True(first.Count(r => r.StatusCode == HttpStatusCode.OK) >= 2);
        Assert.All(first, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Forbidden }));
        Assert.Equal(HttpStatusCode.Forbidden, next.StatusCode);
        Assert.InRange(int.Parse(Header(next, "retry-after")), 1, 60);
    }

    [Fact]
    public async Task Post_SequentialClientAtFullBudget_NeverTripsCpuBudget()
    {
        // The budget equals its window, so a client that waits for each answer cannot exceed it.
        await using var sim = await StartAsync(new SimulatorOptions
        {
            CpuBudget = TimeSpan.FromSeconds(1), CpuWindow = TimeSpan.FromSeconds(1), ProcessingTimeScale = 1,
        });

        for (var i = 0; i < 8; i++)
            Assert.Equal(HttpStatusCode.OK, (await sim.PostAsync("ms:200")).StatusCode);
    }
}
