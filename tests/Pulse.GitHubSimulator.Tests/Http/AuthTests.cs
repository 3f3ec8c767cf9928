using System.Net;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class AuthTests
{
    [Fact]
    public async Task Post_NoAuthorizationHeader_Returns401RequiresAuthentication()
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("q", authorization: null);

        // Issue 12, row 12: GitHub tells a request without credentials apart from one with wrong credentials.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"This endpoint requires you to be authenticated.","documentation_url":"https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, sim.Server.Stats.For("(none)").Errors[SimulatorStats.Kinds.Unauthorized]);
    }

    [Theory]
    [InlineData("bearer wrong-token")]
    [InlineData("basic sim-token")]
    [InlineData("bearer")]
    public async Task Post_UnknownOrMalformedToken_Returns401BadCredentials(string authorization)
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("q", authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"Bad credentials","documentation_url":"https://docs.github.com/graphql","status":"401"}""",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("0", Header(response, "x-ratelimit-used"));
    }

    [Theory]
    [InlineData("bearer sim-token")]
    [InlineData("Bearer sim-token")]
    [InlineData("token sim-token")]
    [InlineData("TOKEN sim-token")]
    public async Task Post_BearerOrTokenScheme_IsAccepted(string authorization)
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("q", authorization);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4999", Header(response, "x-ratelimit-remaining"));
    }

    [Fact]
    public async Task Post_TwoUsers_ChargeSeparateBuckets()
    {
        await using var sim = await StartAsync(new SimulatorOptions { Tokens = ["a", "b"], ProcessingTimeScale = 0 });

        await sim.PostAsync("cost:7", "bearer a");
        var second = await sim.PostAsync("cost:2", "bearer b");
        var third = await sim.PostAsync("cost:1", "token a");

        Assert.Equal("4998", Header(second, "x-ratelimit-remaining"));
        Assert.Equal("8", Header(third, "x-ratelimit-used"));
    }
}
