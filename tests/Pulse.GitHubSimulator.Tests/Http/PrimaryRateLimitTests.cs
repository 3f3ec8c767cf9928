using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class PrimaryRateLimitTests
{
    private static SimulatorOptions Small(TimeProvider? clock = null) => new()
    {
        PointsPerHour = 10, RateWindow = TimeSpan.FromSeconds(30), ProcessingTimeScale = 0, TimeProvider = clock ?? TimeProvider.System,
    };

    [Fact]
    public async Task Post_CostAboveRemaining_ReturnsRateLimitedWithRemainingZero()
    {
        await using var sim = await StartAsync(Small());
        await sim.PostAsync("cost:8");

        var response = await sim.PostAsync("cost:3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1431904."}]}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("0", Header(response, "x-ratelimit-remaining"));
        Assert.Equal("8", Header(response, "x-ratelimit-used"));
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.RateLimited]);
    }

    [Fact]
    public async Task Post_CostEqualToRemaining_IsServed()
    {
        await using var sim = await StartAsync(Small());
        await sim.PostAsync("cost:8");

        var response = await sim.PostAsync("cost:2");

        Assert.Equal("0", Header(response, "x-ratelimit-remaining"));
        Assert.Equal(2, (int)(await BodyAsync(response))["data"]!["rateLimit"]!["cost"]!);
    }

    [Fact]
    public async Task Post_AfterWindowEnds_BucketIsFull()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sim = await StartAsync(Small(clock));
        var first = await sim.PostAsync("cost:10");
        var limited = await BodyAsync(await sim.PostAsync("cost:1"));

        clock.Advance(TimeSpan.FromSeconds(31));
        var afterReset = await sim.PostAsync("cost:1");

        Assert.Equal("RATE_LIMITED", (string)limited["errors"]![0]!["type"]!);
        Assert.Equal("9", Header(afterReset, "x-ratelimit-remaining"));
        Assert.True(long.Parse(Header(afterReset, "x-ratelimit-reset")) > long.Parse(Header(first, "x-ratelimit-reset")));
    }

    [Fact]
    public async Task Post_WindowStartsAtFirstRequest_ResetIsFirstRequestPlusWindow()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var sim = await StartAsync(Small(clock));

        clock.Advance(TimeSpan.FromSeconds(100));
        var response = await sim.PostAsync("cost:1");
        clock.Advance(TimeSpan.FromSeconds(10));
        var later = await sim.PostAsync("cost:1");

        var expected = start.AddSeconds(130).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Header(response, "x-ratelimit-reset"));
        Assert.Equal(expected, Header(later, "x-ratelimit-reset"));
    }

    [Fact]
    public async Task Post_DryRun_IsNotCharged()
    {
        await using var sim = await StartAsync(Small());

        var dry = await BodyAsync(await sim.PostAsync("dryRun cost:4"));
        var after = await sim.PostAsync("cost:1");

        Assert.Equal(4, (int)dry["data"]!["rateLimit"]!["cost"]!);
        Assert.Equal(10, (int)dry["data"]!["rateLimit"]!["remaining"]!);
        Assert.Equal("1", Header(after, "x-ratelimit-used"));
    }

    [Fact]
    public async Task Post_ValidationError_ReturnsOnlyErrorsAndIsNotCharged()
    {
        await using var sim = await StartAsync(Small());

        var response = await sim.PostAsync("invalid cost:5");
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.ContainsKey("data"));
        Assert.Equal("Field 'bogus' doesn't exist on type 'Query'", (string)body["errors"]![0]!["message"]!);
        Assert.Equal("0", Header(response, "x-ratelimit-used"));
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.Validation]);
    }
}
