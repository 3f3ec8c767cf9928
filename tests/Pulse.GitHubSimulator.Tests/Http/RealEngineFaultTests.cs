using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.Http;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Faults and the timeout as a client sees them with GitHub's engine behind the host.</summary>
public sealed class RealEngineFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string PageQuery = """
        query($n: Int!) { rateLimit { cost } repository(owner: "acme", name: "big") { pullRequests(first: $n) { nodes {
          number
          commits(first: 100) { nodes { commit { oid } } }
          reviews(first: 100) { nodes { id } }
          comments(first: 100) { nodes { id } }
          labels(first: 100) { nodes { name } } } } } }
        """;

    /// <summary>100 pull requests, each with 100 commits, reviews and comments: DevLake's page shape (LIMITS.md).</summary>
    private static readonly Lazy<string> BigDataset = new(() =>
    {
        var prs = new JsonArray();
        for (var n = 1; n <= 100; n++)
        {
            JsonArray Many(string prefix, Func<int, JsonObject> item) => new([.. Enumerable.Range(0, 100).Select(i => (JsonNode)item(i))]);
            prs.Add(new JsonObject
            {
                ["id"] = $"PR_{n}", ["databaseId"] = n, ["number"] = n, ["title"] = $"pr {n}", ["state"] = "MERGED",
                ["createdAt"] = $"2025-01-01T00:{n / 60:D2}:{n % 60:D2}Z", ["updatedAt"] = "2025-06-01T00:00:00Z",
                ["commits"] = Many("c", i => new JsonObject { ["id"] = $"PURC_{n}_{i}", ["commit"] = new JsonObject { ["oid"] = $"{n:x20}{i:x20}" } }),
                ["reviews"] = Many("r", i => new JsonObject { ["id"] = $"PRR_{n}_{i}", ["state"] = "COMMENTED" }),
                ["comments"] = Many("i", i => new JsonObject { ["id"] = $"IC_{n}_{i}", ["body"] = "x" }),
                ["labels"] = new JsonArray(), ["reviewThreads"] = new JsonArray(),
            });
        }
        return new JsonObject
        {
            ["format"] = "pulse-github-dataset/1", ["generatedAt"] = "2026-01-01T00:00:00Z",
            ["owners"] = new JsonArray(new JsonObject { ["login"] = "acme", ["__typename"] = "Organization" }),
            ["repositories"] = new JsonArray(new JsonObject { ["id"] = "R_big", ["owner"] = "acme", ["name"] = "big", ["pullRequests"] = prs }),
        }.ToJsonString();
    });

    private static Task<GitHubSimulatorServer> StartAsync(SimulatorOptions options) =>
        GitHubSimulatorServer.StartAsync(options, SimulatorDataLoader.FromJson(BigDataset.Value), Ct);

    private static async Task<(HttpResponseMessage Response, string Text)> PageAsync(GitHubSimulatorServer sim, int n)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, sim.GraphQLUrl)
        {
            Content = new StringContent(new JsonObject { ["query"] = PageQuery, ["variables"] = new JsonObject { ["n"] = n } }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", "sim-token");
        var response = await client.SendAsync(request, Ct);
        return (response, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Post_HundredHeavyPullRequests_TimesOutAndStaysChargedWithThePenalty()
    {
        await using var sim = await StartAsync(new SimulatorOptions { ProcessingTimeScale = 0 });

        var (response, text) = await PageAsync(sim, 100);
        var (after, _) = await PageAsync(sim, 1);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("This may be the result of a timeout, or it could be a GitHub bug.", text);
        Assert.False(response.Headers.Contains("x-ratelimit-used"));
        // 1 + 100 × 4 connections = 401 requests: 4 points, then the penalty, then the next page's point.
        Assert.Equal(4 + new SimulatorOptions().TimeoutPenaltyPoints + 1, int.Parse(after.Headers.GetValues("x-ratelimit-used").Single()));
    }

    [Fact]
    public async Task Post_OneHeavyPullRequest_IsServed()
    {
        await using var sim = await StartAsync(new SimulatorOptions { ProcessingTimeScale = 0 });

        var (response, text) = await PageAsync(sim, 1);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(JsonNode.Parse(text)!["data"]!["repository"]!["pullRequests"]!["nodes"]!.AsArray());
    }

    [Fact]
    public async Task Post_HeavyPage_AtTimingScale4_TimesOutWhereScale1Answers()
    {
        await using var calibrated = await StartAsync(new SimulatorOptions { ProcessingTimeScale = 0 });
        await using var slower = await StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, TimingScale = 4 });

        Assert.Equal(HttpStatusCode.OK, (await PageAsync(calibrated, 1)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, (await PageAsync(slower, 1)).Response.StatusCode);
    }

    [Fact]
    public async Task Post_PartialFault_ServesOneNullPullRequestWithError()
    {
        await using var sim = await StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, Faults = new Dictionary<FaultKind, double> { [FaultKind.Partial] = 1.0 },
        });

        var (response, text) = await PageAsync(sim, 1);
        var body = JsonNode.Parse(text)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(body["data"]!["repository"]!["pullRequests"]!["nodes"]!.AsArray(), n => n is null);
        Assert.NotEmpty(body["errors"]!.AsArray());
    }

    [Fact]
    public async Task Post_NotFoundFault_ServesNullRepositoryWithNotFound()
    {
        await using var sim = await StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, Faults = new Dictionary<FaultKind, double> { [FaultKind.NotFound] = 1.0 },
        });

        var (response, text) = await PageAsync(sim, 1);
        var body = JsonNode.Parse(text)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(body["errors"]!.AsArray(), e => (string?)e!["type"] == "NOT_FOUND");
    }
}
