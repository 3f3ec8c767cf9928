using System.Net;
using System.Text.Json;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class FaultTests
{
    private static SimulatorOptions Always(FaultKind kind) => new()
    {
        Faults = new Dictionary<FaultKind, double> { [kind] = 1.0 }, ProcessingTimeScale = 0, SlowAnswerDelay = TimeSpan.FromMilliseconds(300),
    };

    [Theory]
    [InlineData(FaultKind.BadGateway502, HttpStatusCode.BadGateway, "This may be the result of a timeout")]
    [InlineData(FaultKind.GatewayTimeout504, HttpStatusCode.GatewayTimeout, "We couldn't respond to your request in time")]
    public async Task Post_GatewayFault_ReturnsGatewayBodyWithoutRateLimitHeadersAndIsNotCharged(FaultKind kind, HttpStatusCode status, string text)
    {
        await using var sim = await StartAsync(Always(kind));

        var response = await sim.PostAsync("cost:5");
        var next = await sim.PostAsync("cost:0", "bearer sim-token");

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("", Header(response, "x-ratelimit-used"));
        Assert.Equal(2, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.Fault(kind)]);
        Assert.Equal(0, sim.Server.Stats.For("sim-token").Points);
        Assert.Equal(status, next.StatusCode);
    }

    [Fact]
    public async Task Post_ResetFault_AbortsTheConnection()
    {
        await using var sim = await StartAsync(Always(FaultKind.ConnectionReset));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.PostAsync("cost:1"));
    }

    [Fact]
    public async Task Post_SlowFault_AnswersLateButCorrectly()
    {
        await using var sim = await StartAsync(Always(FaultKind.Slow));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var response = await sim.PostAsync("cost:1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"answered after {watch.Elapsed}");
        Assert.Equal(1, (int)(await BodyAsync(response))["data"]!["rateLimit"]!["cost"]!);
    }

    [Fact]
    public async Task Post_TruncatedFault_ReturnsUnparsableJsonAndIsCharged()
    {
        await using var sim = await StartAsync(Always(FaultKind.Truncated));

        var response = await sim.PostAsync("cost:2");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Equal("2", Header(response, "x-ratelimit-used"));
    }

    [Theory]
    [InlineData(FaultKind.Partial, "NullNodeWithError")]
    [InlineData(FaultKind.NotFound, "NotFound")]
    public async Task Post_PartialFaults_AreHandedToTheEngine(FaultKind kind, string engineFault)
    {
        await using var sim = await StartAsync(Always(kind));

        var body = await BodyAsync(await sim.PostAsync("cost:1"));

        Assert.Equal(engineFault, (string)body["data"]!["fault"]!);
    }


    [Fact]
    public async Task Post_SameSeed_GivesSameFaultSequence()
    {
        var options = new SimulatorOptions
        {
            Seed = 42, ProcessingTimeScale = 0,
            Faults = new Dictionary<FaultKind, double> { [FaultKind.BadGateway502] = 0.3, [FaultKind.GatewayTimeout504] = 0.2 },
        };

        var first = await StatusesAsync(options);
        var second = await StatusesAsync(options);
        var other = await StatusesAsync(options with { Seed = 43 });

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Contains(HttpStatusCode.BadGateway, first);
        Assert.Contains(HttpStatusCode.GatewayTimeout, first);
    }

    [Fact]
    public async Task Post_AfterControlReset_FaultSequenceRestarts()
    {
        var options = new SimulatorOptions { Seed = 5, ProcessingTimeScale = 0, Faults = new Dictionary<FaultKind, double> { [FaultKind.BadGateway502] = 0.5 } };
        await using var sim = await StartAsync(options);
        var before = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) before.Add((await sim.PostAsync("q")).StatusCode);

        sim.Server.Reset();
        var after = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) after.Add((await sim.PostAsync("q")).StatusCode);

        Assert.Equal(before, after);
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(SimulatorOptions options)
    {
        await using var sim = await StartAsync(options);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++) statuses.Add((await sim.PostAsync("cost:1")).StatusCode);
        return statuses;
    }
}
