using System.Net;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class HeadersTests
{
    [Theory]
    [InlineData("cost:1", "bearer sim-token", HttpStatusCode.OK)]
    [InlineData("invalid", "bearer sim-token", HttpStatusCode.OK)]
    [InlineData("cost:1", null, HttpStatusCode.Unauthorized)]
    [InlineData("cost:9999", "bearer sim-token", HttpStatusCode.OK)]
    public async Task Post_AnyAnswer_CarriesRateLimitHeaders(string query, string? authorization, HttpStatusCode expected)
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync(query, authorization);

        Assert.Equal(expected, response.StatusCode);
        foreach (var name in new[] { "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset", "x-github-request-id" })
            Assert.NotEqual("", Header(response, name));
        Assert.Equal("graphql", Header(response, "x-ratelimit-resource"));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Post_Answer_ResetHeaderEqualsResetAtOfBody()
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("cost:3");
        var body = await BodyAsync(response);

        var resetAt = DateTimeOffset.Parse((string)body["data"]!["rateLimit"]!["resetAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(resetAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "x-ratelimit-reset"));
        Assert.Equal("3", Header(response, "x-ratelimit-used"));
        Assert.Equal(3, (int)body["data"]!["rateLimit"]!["used"]!);
    }

    [Fact]
    public async Task Post_NotJson_Returns400ProblemsParsingJson()
    {
        await using var sim = await StartAsync();
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "bearer sim-token");

        var response = await sim.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Problems parsing JSON", (string)(await BodyAsync(response))["message"]!);
    }

    [Fact]
    public async Task Post_EngineThrows_AnswersSomethingWentWrongWithHeaders()
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("throw");
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Something went wrong while executing your query.", (string)body["errors"]![0]!["message"]!);
        Assert.Equal("5000", Header(response, "x-ratelimit-limit"));
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.Internal]);
    }

    [Fact]
    public async Task Post_TwoRequests_GetDistinctRequestIds()
    {
        await using var sim = await StartAsync();

        var a = Header(await sim.PostAsync("q"), "x-github-request-id");
        var b = Header(await sim.PostAsync("q"), "x-github-request-id");

        Assert.Matches("^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{7,}:[0-9A-F]{7}:[0-9A-F]{8}$", a);
        Assert.NotEqual(a, b);
    }
}
