using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Issue 12, row 9: the primary and secondary limits belong to the user; a user's tokens share them.</summary>
public sealed class AccountsTests
{
    private static SimulatorOptions Users(SimulatorOptions? options = null) =>
        (options ?? new SimulatorOptions { ProcessingTimeScale = 0 }) with { Tokens = ["alice:t1", "alice:t2", "bob:t3", "t4"] };

    [Fact]
    public async Task Post_TwoTokensOfOneUser_ShareOnePrimaryBudget()
    {
        await using var sim = await StartAsync(Users());

        await sim.PostAsync("cost:7", "bearer t1");
        var sameUser = await sim.PostAsync("cost:2", "bearer t2");
        var otherUser = await sim.PostAsync("cost:1", "bearer t3");
        var bare = await sim.PostAsync("cost:1", "bearer t4");

        Assert.Equal("9", Header(sameUser, "x-ratelimit-used"));
        Assert.Equal("1", Header(otherUser, "x-ratelimit-used"));
        Assert.Equal("1", Header(bare, "x-ratelimit-used"));
    }

    [Fact]
    public async Task Post_UserOutOfPoints_RateLimitedOnEveryTokenNamingTheUser()
    {
        await using var sim = await StartAsync(Users(new SimulatorOptions { ProcessingTimeScale = 0, PointsPerHour = 5 }));

        await sim.PostAsync("cost:5", "bearer t1");
        var limited = await BodyAsync(await sim.PostAsync("cost:1", "bearer t2"));
        var bob = await sim.PostAsync("cost:1", "bearer t3");

        Assert.Equal("RATE_LIMITED", (string?)limited["errors"]![0]!["type"]);
        Assert.Equal("API rate limit exceeded for user ID 1431904.", (string?)limited["errors"]![0]!["message"]);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Equal("1", Header(bob, "x-ratelimit-used"));
    }

    [Fact]
    public async Task Post_TwoTokensOfOneUser_ShareOneSecondaryBudget()
    {
        await using var sim = await StartAsync(Users(new SimulatorOptions
        {
            ProcessingTimeScale = 0, MaxConcurrentRequestsPerToken = 1, Latency = TimeSpan.FromSeconds(2),
        }));

        var inFlight = sim.PostAsync("cost:1", "bearer t1");
        await WaitUntilAsync(() => sim.Server.Stats.For("t1").Requests == 1);
        var sameUser = await sim.PostAsync("cost:1", "bearer t2");
        var otherUser = sim.PostAsync("cost:1", "bearer t3");

        Assert.Equal(HttpStatusCode.Forbidden, sameUser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherUser).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inFlight).StatusCode);
    }

    [Fact]
    public async Task Stats_SumTokensPerUser()
    {
        await using var sim = await StartAsync(Users());

        await sim.PostAsync("cost:2", "bearer t1");
        await sim.PostAsync("cost:3", "bearer t2");
        await sim.PostAsync("cost:4", "bearer t3");
        var stats = JsonNode.Parse(await sim.Client.GetStringAsync("_sim/stats", TestContext.Current.CancellationToken))!;

        Assert.Equal(5, (int)stats["users"]!["alice"]!["points"]!);
        Assert.Equal(2, (int)stats["users"]!["alice"]!["requests"]!);
        Assert.Equal(4, (int)stats["users"]!["bob"]!["points"]!);
        Assert.Equal(9, (int)stats["totals"]!["points"]!);
    }

    [Fact]
    public async Task AddToken_ForAnExistingUser_SharesItsBudget()
    {
        await using var sim = await StartAsync(Users());
        await sim.PostAsync("cost:6", "bearer t1");

        var added = await sim.Client.PostAsJsonAsync("_sim/tokens/add", new JsonObject { ["token"] = "t9", ["user"] = "alice" }, TestContext.Current.CancellationToken);
        var answer = await sim.PostAsync("cost:1", "bearer t9");

        Assert.Equal("""{"added":true}""", await added.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("7", Header(answer, "x-ratelimit-used"));
    }

    [Theory]
    [InlineData("alice:")]
    [InlineData(":t1")]
    [InlineData("a:b:c")]
    [InlineData("has space")]
    public void Validate_MalformedTokenEntry_SaysWhichWithoutTheToken(string entry)
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatorOptions { Tokens = [entry] }.Validate());

        Assert.Contains("must be TOKEN or USER:TOKEN", error.Message);
        Assert.DoesNotContain("b:c", error.Message);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.True(condition());
    }
}
