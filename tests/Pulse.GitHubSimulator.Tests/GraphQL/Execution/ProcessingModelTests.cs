using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Execution;

/// <summary>What the processing model weighs: rows by kind, expensive fields, text size, nesting, and the timing scale.</summary>
public sealed class ProcessingModelTests
{
    private const string Repo = "repository(owner: \"acme\", name: \"widgets\")";
    private static readonly Lazy<ISimulatorData> Heavy = new(() => SimulatorDataLoader.FromJson(HeavyDataSet(10)));

    private static TimeSpan Processing(string query, double timingScale = 1)
    {
        var engine = new GitHubGraphQLEngine(Heavy.Value);
        var plan = engine.Prepare(new GraphQLRequest(query, null, null));
        Assert.Empty(plan.Errors);
        return engine.Execute(plan, TestDataSet.Context with { TimingScale = timingScale }).SimulatedProcessing;
    }

    [Fact]
    public void Execute_CommitsNestedUnderPullRequests_CostMoreThanFromTheirOwnParent()
    {
        const string selection = "commits(first: 100) { nodes { commit { oid message } } }";
        var nested = Processing($"{{ {Repo} {{ pullRequests(first: 10) {{ nodes {{ {selection} }} }} }} }}");
        var ownParent = Processing("{ " + string.Join(" ", Enumerable.Range(1, 10).Select(n => $"p{n}: node(id: \"PR_{n}\") {{ ... on PullRequest {{ {selection} }} }}")) + " }");

        Assert.True(nested > ownParent * 5, $"nested {nested}, from their own parents {ownParent}");
    }

    [Fact]
    public void Execute_CommitDiffStats_CostMoreThanTheCommitAlone()
    {
        var plain = Processing("{ node(id: \"PR_1\") { ... on PullRequest { commits(first: 100) { nodes { commit { oid } } } } } }");
        var stats = Processing("{ node(id: \"PR_1\") { ... on PullRequest { commits(first: 100) { nodes { commit { oid additions deletions } } } } } }");

        Assert.True(stats > plain + TimeSpan.FromMilliseconds(50), $"with stats {stats}, without {plain}");
    }

    [Fact]
    public void Execute_LongBodies_CostByTheirSize()
    {
        var titles = Processing($"{{ {Repo} {{ pullRequests(first: 10) {{ nodes {{ title }} }} }} }}");
        var bodies = Processing($"{{ {Repo} {{ pullRequests(first: 10) {{ nodes {{ title body }} }} }} }}");

        // Ten bodies of 200 KiB: 2,000 KiB of text.
        Assert.True(bodies - titles > TimeSpan.FromMilliseconds(100), $"with bodies {bodies}, without {titles}");
    }

    [Fact]
    public void Execute_TimingScale_MultipliesTheSimulatedDuration()
    {
        const string query = "{ node(id: \"PR_1\") { ... on PullRequest { commits(first: 100) { nodes { commit { oid } } } } } }";

        var difference = Processing(query, timingScale: 4) - Processing(query) * 4;

        Assert.True(difference.Duration() < TimeSpan.FromMilliseconds(1), difference.ToString());
    }

    /// <summary>Pull requests of 100 commits, reviews, comments and labels each, with 200 KiB bodies.</summary>
    internal static string HeavyDataSet(int prs)
    {
        JsonArray Items(string prefix, int pr, Func<int, JsonObject> make) =>
            new(Enumerable.Range(0, 100).Select(i => { var o = make(i); o["id"] = $"{prefix}_{pr}_{i}"; return (JsonNode?)o; }).ToArray());
        var pulls = new JsonArray(Enumerable.Range(1, prs).Select(n => (JsonNode?)new JsonObject
        {
            ["id"] = $"PR_{n}", ["databaseId"] = n, ["number"] = n, ["title"] = "t", ["body"] = new string('x', 200 * 1024),
            ["createdAt"] = "2024-01-01T00:00:00Z", ["updatedAt"] = "2024-01-01T00:00:00Z",
            ["commits"] = Items("PURC", n, i => new JsonObject { ["commit"] = new JsonObject { ["oid"] = $"{n:x20}{i:x20}", ["message"] = "m", ["additions"] = 1, ["deletions"] = 2 } }),
            ["reviews"] = Items("PRR", n, i => new JsonObject { ["databaseId"] = i, ["body"] = "r", ["state"] = "COMMENTED" }),
            ["comments"] = Items("IC", n, i => new JsonObject { ["databaseId"] = i, ["body"] = "c" }),
            ["labels"] = Items("LA", n, i => new JsonObject { ["name"] = "l" }),
            ["reviewThreads"] = new JsonArray(),
        }).ToArray());
        return new JsonObject
        {
            ["generatedAt"] = "2024-02-01T00:00:00Z",
            ["owners"] = new JsonArray(new JsonObject { ["login"] = "acme", ["__typename"] = "Organization" }),
            ["repositories"] = new JsonArray(new JsonObject { ["id"] = "R_1", ["owner"] = "acme", ["name"] = "widgets", ["pullRequests"] = pulls }),
        }.ToJsonString();
    }
}
