using System.Net;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Issue 12, rows 1–6: GitHub's cost and page-size rules as a client meets them over HTTP.</summary>
public sealed class CostRulesTests
{
    private const string Widgets = "repository(owner: \"acme\", name: \"widgets\")";

    [Fact]
    public async Task Issue_12_Row1_DryRun_AnswersOnlyRateLimitAndChargesNothing()
    {
        await using var sim = await RealSimulator.StartSyntheticAsync(new SimulatorOptions { ProcessingTimeScale = 0, PointsPerHour = 1 });
        await sim.PostAsync("{ viewer { login } }");   // spends the only point

        var answer = await sim.PostAsync("""{ rateLimit(dryRun: true) { cost remaining } repository(owner: "synth-org", name: "repo-001") { pullRequests(first: 5) { nodes { title } } } }""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("""{"rateLimit":{"cost":1,"remaining":0}}""", answer.Data!.ToJsonString());
        Assert.Empty(answer.Errors);
        Assert.Equal("1", answer.Header("x-ratelimit-used"));
    }

    [Fact]
    public async Task Issue_12_Row2_FirstCountsWhateverIsSelected_NodeLimitAndCost()
    {
        await using var sim = await RealSimulator.StartAsync();

        var tooMany = await sim.PostAsync("{ viewer { repositories(first: 100) { nodes { pullRequests(first: 100) { nodes { commits(first: 100) { totalCount } } } } } } }");
        var three = await sim.PostAsync($"{{ rateLimit {{ cost nodeCount }} {Widgets} {{ pullRequests(first: 100) {{ nodes {{ " +
            "commits(first: 100) { totalCount } reviews(first: 100) { totalCount } comments(first: 100) { totalCount } } } } }");

        Assert.Equal("MAX_NODE_LIMIT_EXCEEDED", (string?)Assert.Single(tooMany.Errors)!["type"]);
        Assert.Contains("1,010,100 possible nodes", (string?)tooMany.Errors[0]!["message"]);
        Assert.Null(tooMany.Data);
        Assert.Equal(3, (int)three.Data!["rateLimit"]!["cost"]!);
        Assert.Equal(30_100, (int)three.Data["rateLimit"]!["nodeCount"]!);
    }

    [Fact]
    public async Task Issue_12_Row3_NodesWith101Ids_ArgumentLimit()
    {
        await using var sim = await RealSimulator.StartAsync();
        var ids = new JsonArray([.. Enumerable.Range(0, 101).Select(_ => (JsonNode)"PR_1")]);

        var answer = await sim.PostAsync("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", new JsonObject { ["ids"] = ids });
        var hundred = await sim.PostAsync("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", new JsonObject { ["ids"] = new JsonArray([.. ids.Take(100).Select(i => i!.DeepClone())]) });

        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("ARGUMENT_LIMIT", (string?)error["type"]);
        Assert.Equal("You may not provide more than 100 node ids; you provided 101.", (string?)error["message"]);
        Assert.Equal("""["nodes"]""", error["path"]!.ToJsonString());
        Assert.Null(answer.Data);
        Assert.Equal(100, hundred.Data!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Issue_12_Row4_PageSizeOver100_NullsThatAliasAnswersTheOtherAndCharges()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ a: {Widgets} {{ pullRequests(first: 101) {{ nodes {{ title }} }} }} b: {Widgets} {{ pullRequests(first: 1) {{ nodes {{ title }} }} }} }}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("""{"a":null,"b":{"pullRequests":{"nodes":[{"title":"First"}]}}}""", answer.Data!.ToJsonString());
        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("EXCESSIVE_PAGINATION", (string?)error["type"]);
        Assert.Equal("Requesting 101 records on the `pullRequests` connection exceeds the `first` limit of 100 records.", (string?)error["message"]);
        Assert.Equal("""["a","pullRequests"]""", error["path"]!.ToJsonString());
        Assert.Equal("1", answer.Header("x-ratelimit-used"));
    }

    [Fact]
    public async Task Issue_12_Row4b_FirstAndLastTogether_NotSupported()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ pullRequests(first: 1, last: 1) {{ nodes {{ title }} }} }} }}");

        Assert.Equal("Passing both `first` and `last` to paginate the `pullRequests` connection is not supported.", (string?)Assert.Single(answer.Errors)!["message"]);
        Assert.Equal("""{"repository":null}""", answer.Data!.ToJsonString());
    }

    [Fact]
    public async Task Issue_12_Row4c_FirstZero_AnswersAnEmptyPage()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ pullRequests(first: 0) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ title }} }} }} }}");

        Assert.Empty(answer.Errors);
        Assert.Equal("""{"totalCount":3,"pageInfo":{"hasNextPage":true,"endCursor":null},"nodes":[]}""", answer.Data!["repository"]!["pullRequests"]!.ToJsonString());
    }

    [Fact]
    public async Task Issue_12_NegativeFirst_ExecutionErrorAtItsPath()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ pullRequests(first: -1) {{ nodes {{ title }} }} }} }}");

        Assert.Equal("`first` on the `pullRequests` connection cannot be less than zero.", (string?)Assert.Single(answer.Errors)!["message"]);
        Assert.Equal("""["repository","pullRequests"]""", answer.Errors[0]!["path"]!.ToJsonString());
    }

    [Fact]
    public async Task Issue_12_Row6_RateLimitAlone_CostsNothingAndIsNeverRateLimited()
    {
        await using var sim = await RealSimulator.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, PointsPerHour = 1 });
        await sim.PostAsync("{ viewer { login } }");   // spends the only point

        var answer = await sim.PostAsync("{ rateLimit { cost remaining } }");

        Assert.Equal("""{"rateLimit":{"cost":0,"remaining":0}}""", answer.Data!.ToJsonString());
        Assert.Empty(answer.Errors);
        Assert.Equal("RATE_LIMITED", (string?)(await sim.PostAsync("{ viewer { login } }")).Errors[0]!["type"]);
    }
}
