using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>The real engine behind the real host: what a client of another project sees.</summary>
public sealed class GitHubSimulatorServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> QueryAsync(
        GitHubSimulatorServer sim, string query, string token = "sim-token")
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, sim.GraphQLUrl)
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!, response);
    }

    [Fact]
    public async Task StartAsync_SyntheticData_AnswersRepositoryQueryWithRateLimit()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(
            new SimulatorOptions { ProcessingTimeScale = 0, Synthetic = new SyntheticSpec { Repositories = 2, PullRequests = 20, Seed = 1 } }, Ct);

        var (status, body, response) = await QueryAsync(sim,
            "{ rateLimit { cost remaining used resetAt nodeCount } repository(owner: \"synth-org\", name: \"repo-001\") { pullRequests(first: 5) { totalCount nodes { number title } } } }");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, body["data"]!["repository"]!["pullRequests"]!["nodes"]!.AsArray().Count);
        Assert.True((int)body["data"]!["repository"]!["pullRequests"]!["totalCount"]! > 5);
        var rateLimit = body["data"]!["rateLimit"]!;
        Assert.Equal(1, (int)rateLimit["cost"]!);
        Assert.Equal(response.Headers.GetValues("x-ratelimit-remaining").Single(), ((int)rateLimit["remaining"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var resetAt = DateTimeOffset.Parse((string)rateLimit["resetAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(response.Headers.GetValues("x-ratelimit-reset").Single(), resetAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task StartAsync_UnknownField_AnswersGitHubValidationErrorUncharged()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0 }, Ct);

        var (status, body, response) = await QueryAsync(sim, "{ repository(owner: \"synth-org\", name: \"repo-001\") { pullRequest(number: 1) { bogus } } }");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.ContainsKey("data"));
        Assert.Equal("Field 'bogus' doesn't exist on type 'PullRequest'", (string)body["errors"]![0]!["message"]!);
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-used").Single());
    }

    [Fact]
    public async Task Mutate_ClosePr_IsServedWithNewStateAndLaterUpdatedAt()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0 }, Ct);
        const string query = "{ repository(owner: \"synth-org\", name: \"repo-001\") { pullRequests(first: 1, states: [OPEN]) { nodes { number state updatedAt } } } }";
        var before = (await QueryAsync(sim, query)).Body["data"]!["repository"]!["pullRequests"]!["nodes"]![0]!;
        using var client = new HttpClient { BaseAddress = sim.BaseUrl };
        var mutation = new JsonObject { ["op"] = "close_pr", ["owner"] = "synth-org", ["repo"] = "repo-001", ["number"] = (int)before["number"]! };

        var mutated = await client.PostAsync("_sim/mutate", new StringContent(mutation.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var after = (await QueryAsync(sim, $"{{ repository(owner: \"synth-org\", name: \"repo-001\") {{ pullRequest(number: {before["number"]}) {{ state updatedAt }} }} }}"))
            .Body["data"]!["repository"]!["pullRequest"]!;

        Assert.Equal(HttpStatusCode.OK, mutated.StatusCode);
        Assert.Equal("CLOSED", (string)after["state"]!);
        Assert.True(DateTimeOffset.Parse((string)after["updatedAt"]!, System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse((string)before["updatedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task StartAsync_MissingDatasetFile_ThrowsClearMessage()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            GitHubSimulatorServer.StartAsync(new SimulatorOptions { DatasetPath = "/nope/missing.json" }, Ct));

        Assert.Contains("/nope/missing.json", error.Message);
    }

    [Fact]
    public void Validate_BadValues_NameTheSetting()
    {
        Assert.Contains("PointsPerHour", Assert.Throws<ArgumentException>(() => new SimulatorOptions { PointsPerHour = 0 }.Validate()).Message);
        Assert.Contains("add up to at most 1", Assert.Throws<ArgumentException>(() => new SimulatorOptions
        {
            Faults = new Dictionary<FaultKind, double> { [FaultKind.Slow] = 0.6, [FaultKind.Partial] = 0.6 },
        }.Validate()).Message);
        Assert.Contains("ProcessingTimeScale", Assert.Throws<ArgumentException>(() => new SimulatorOptions { ProcessingTimeScale = -1 }.Validate()).Message);
    }
}
