using System.Net;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class TimeoutTests
{
    [Fact]
    public async Task Post_ProcessingOverTenSeconds_Returns502WithGitHubsBodyAndNoRateLimitHeaders()
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("cost:6 ms:10001");
        var body = await BodyAsync(response);

        // Issue 12, row 8b: HTTP 502, data null, GitHub's message with the request id, no x-ratelimit-* headers.
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Null(body["data"]);
        Assert.Equal("Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. " +
            $"Please include `{Header(response, "x-github-request-id")}` when reporting this issue.", (string?)body["errors"]![0]!["message"]);
        Assert.Equal("", Header(response, "x-ratelimit-used"));
        Assert.Equal("", Header(response, "x-ratelimit-remaining"));
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.Timeout]);
    }

    [Fact]
    public async Task Post_Timeout_ChargesItsPointsPlusThePenalty()
    {
        await using var sim = await StartAsync();

        await sim.PostAsync("cost:6 ms:10001");
        var next = await sim.PostAsync("cost:0");

        Assert.Equal((6 + new SimulatorOptions().TimeoutPenaltyPoints).ToString(), Header(next, "x-ratelimit-used"));
        Assert.Equal(16, sim.Server.Stats.For("sim-token").Points);
    }

    [Fact]
    public async Task Post_TimeoutPenalty_NeverTakesTheBudgetBelowZero()
    {
        await using var sim = await StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, PointsPerHour = 12 });

        await sim.PostAsync("cost:6 ms:10001");
        var next = await sim.PostAsync("cost:0");

        Assert.Equal("0", Header(next, "x-ratelimit-remaining"));
        Assert.Equal("12", Header(next, "x-ratelimit-used"));
    }

    [Fact]
    public async Task Post_ProcessingUnderTenSeconds_IsServed()
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("cost:6 ms:9999");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithTimeScale_SleepsScaledProcessingPlusLatency()
    {
        await using var sim = await StartAsync(new SimulatorOptions { ProcessingTimeScale = 0.05, Latency = TimeSpan.FromMilliseconds(100) });
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await sim.PostAsync("ms:4000");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {watch.Elapsed}");
    }
}
