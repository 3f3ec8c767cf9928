using System.Net;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.GraphQL.Execution;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Issue 12, row 8: past the resource budget GitHub answers 200 with what it has and RESOURCE_LIMITS_EXCEEDED.</summary>
public sealed class ResourceLimitTests
{
    /// <summary>Aliases, each a pull request's 100 commits with their diff stats.</summary>
    private static string Aliases(int count) => "{ rateLimit { cost } " + string.Join(" ", Enumerable.Range(0, count).Select(i =>
        $"u{i}: node(id: \"PR_{i % 10 + 1}\") {{ ... on PullRequest {{ commits(first: 100) {{ nodes {{ commit {{ oid additions deletions }} }} }} }} }}")) + " }";

    private static Task<RealSimulator> StartAsync(TimeSpan? budget) =>
        RealSimulator.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, ResourceBudget = budget }, ProcessingModelTests.HeavyDataSet(10));

    [Fact]
    public async Task Post_PastTheResourceBudget_Answers200WithTheGoodPartAndOneError()
    {
        await using var sim = await StartAsync(TimeSpan.FromSeconds(1));

        var answer = await sim.PostAsync(Aliases(40));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var data = answer.Data!.AsObject();
        var answered = Enumerable.Range(0, 40).TakeWhile(i => data[$"u{i}"] is not null).Count();
        Assert.InRange(answered, 1, 39);
        Assert.All(Enumerable.Range(answered, 40 - answered), i => Assert.Null(data[$"u{i}"]));
        Assert.Equal(100, data["u0"]!["commits"]!["nodes"]!.AsArray().Count);
        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("RESOURCE_LIMITS_EXCEEDED", (string?)error["type"]);
        Assert.Equal("Resource limits for this query exceeded.", (string?)error["message"]);
        Assert.Equal($"[\"u{answered}\"]", error["path"]!.ToJsonString());
        Assert.Equal(1, (int)data["rateLimit"]!["cost"]!);
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.ResourceLimits]);
    }

    [Fact]
    public async Task Post_UnderTheResourceBudget_AnswersEverything()
    {
        await using var sim = await StartAsync(budget: null);

        var answer = await sim.PostAsync(Aliases(20));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Empty(answer.Errors);
        Assert.All(Enumerable.Range(0, 20), i => Assert.NotNull(answer.Data![$"u{i}"]));
    }

    [Fact]
    public async Task Post_DefaultBudget_StopsPackedAliasesBeforeTheTimeout()
    {
        await using var sim = await StartAsync(new SimulatorOptions().ResourceBudget);
        var aliases = "{ " + string.Join(" ", Enumerable.Range(0, 100).Select(i =>
            $"u{i}: node(id: \"PR_{i % 10 + 1}\") {{ ... on PullRequest {{ commits(first: 100) {{ nodes {{ commit {{ oid message additions deletions author {{ user {{ login }} }} }} }} }} }} }}")) + " }";

        var answer = await sim.PostAsync(aliases);

        // Many small aliases end as a partial answer, not as a timeout: the budget is checked before each.
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("RESOURCE_LIMITS_EXCEEDED", (string?)Assert.Single(answer.Errors)!["type"]);
    }
}
