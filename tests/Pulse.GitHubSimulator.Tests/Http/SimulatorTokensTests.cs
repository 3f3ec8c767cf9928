using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Tokens revoked and issued at runtime (issue 6: a token revoked mid-run).</summary>
public sealed class SimulatorTokensTests
{
    private const string BadCredentials = """{"message":"Bad credentials","documentation_url":"https://docs.github.com/graphql","status":"401"}""";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokeToken_AfterItWorked_AnswersExactlyAsForAnUnknownToken()
    {
        await using var sim = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await sim.PostAsync("cost:1")).StatusCode);

        Assert.True(sim.Server.RevokeToken("sim-token"));
        var revoked = await sim.PostAsync("cost:1");
        var unknown = await sim.PostAsync("cost:1", "bearer never-issued");

        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(BadCredentials, await revoked.Content.ReadAsStringAsync(Ct));
        Assert.Equal(await unknown.Content.ReadAsStringAsync(Ct), await revoked.Content.ReadAsStringAsync(Ct));
        Assert.Equal(Header(unknown, "x-ratelimit-limit"), Header(revoked, "x-ratelimit-limit"));
        // A revoked token is counted where unknown tokens are; its own counters stop.
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Requests);
        Assert.Equal(2, sim.Server.Stats.For("(none)").Errors["unauthorized"]);
        Assert.False(sim.Server.RevokeToken("sim-token"));
    }

    [Fact]
    public async Task AddToken_AtRuntime_IsAcceptedWithItsOwnBucket()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync("cost:5");
        Assert.Equal(HttpStatusCode.Unauthorized, (await sim.PostAsync("cost:1", "bearer fresh")).StatusCode);

        Assert.True(sim.Server.AddToken("fresh"));
        var answer = await sim.PostAsync("cost:2", "bearer fresh");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("2", Header(answer, "x-ratelimit-used"));
        Assert.False(sim.Server.AddToken("fresh"));
        Assert.Throws<ArgumentException>(() => sim.Server.AddToken("has space"));
    }

    [Fact]
    public async Task ControlEndpoints_RevokeThenAdd_ChangeWhatIsAcceptedAndNeverEchoTheToken()
    {
        await using var sim = await StartAsync();

        var revoke = await sim.Client.PostAsJsonAsync("_sim/tokens/revoke", new JsonObject { ["token"] = "sim-token" }, Ct);
        var afterRevoke = await sim.PostAsync("cost:1");
        var add = await sim.Client.PostAsJsonAsync("_sim/tokens/add", new JsonObject { ["token"] = "sim-token-2" }, Ct);
        var afterAdd = await sim.PostAsync("cost:1", "bearer sim-token-2");

        Assert.Equal("""{"revoked":true}""", await revoke.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal("""{"added":true}""", await add.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, afterAdd.StatusCode);
    }

    [Theory]
    [InlineData("_sim/tokens/revoke", "{}", "The body needs a string \"token\".")]
    [InlineData("_sim/tokens/add", """{"token":7}""", "The body needs a string \"token\".")]
    [InlineData("_sim/tokens/add", """{"token":""}""", "A token must be non-empty and contain no whitespace.")]
    public async Task ControlEndpoints_BadBody_Answer400SayingWhy(string path, string body, string message)
    {
        await using var sim = await StartAsync();

        var response = await sim.Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (string?)(await BodyAsync(response))["message"]);
    }
}
