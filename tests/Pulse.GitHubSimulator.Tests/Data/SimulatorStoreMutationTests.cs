using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Tests.Data;

public class SimulatorStoreMutationTests
{
    private const string Pr1 = "{ repository(owner: \"acme\", name: \"widgets\") { pullRequest(number: 2) { state updatedAt closedAt mergedAt merged comments(first: 10) { nodes { id body } } } } }";

    private static JsonObject Mutation(string op, JsonObject? extra = null)
    {
        var m = new JsonObject { ["op"] = op, ["owner"] = "acme", ["repo"] = "widgets", ["number"] = 2 };
        foreach (var (k, v) in extra ?? []) m[k] = v?.DeepClone();
        return m;
    }

    [Fact]
    public void Apply_AddComment_NewIdAndUpdatedAtPastEverything()
    {
        var data = TestDataSet.Load();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var result = data.Apply(Mutation("add_comment", new JsonObject { ["comment"] = new JsonObject { ["body"] = "new" } }));
        Assert.StartsWith("IC_sim_", (string?)result["id"]);
        var pr = TestDataSet.Run(data, Pr1)["data"]!["repository"]!["pullRequest"]!;
        // GitHub stamps a change with its clock: the data set's times (2024) lie behind it, so the wall clock wins.
        var updatedAt = DateTimeOffset.Parse((string)pr["updatedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(updatedAt >= before, $"updatedAt {updatedAt:O} is behind the wall clock {before:O}");
        Assert.Equal("new", (string?)pr["comments"]!["nodes"]![0]!["body"]);
        Assert.Equal(updatedAt, data.Now);
        var node = TestDataSet.Run(data, $"{{ node(id: \"{result["id"]}\") {{ ... on IssueComment {{ body }} }} }}");
        Assert.Equal("new", (string?)node["data"]!["node"]!["body"]);
    }

    [Fact]
    public void Apply_CloseReopenThenMerge_StatesAndMonotonicTimes()
    {
        var data = TestDataSet.Load();
        data.Apply(Mutation("close_pr"));
        var closed = TestDataSet.Run(data, Pr1)["data"]!["repository"]!["pullRequest"]!;
        data.Apply(Mutation("reopen_pr"));
        var reopened = TestDataSet.Run(data, Pr1)["data"]!["repository"]!["pullRequest"]!;
        Assert.Equal("OPEN", (string?)reopened["state"]);
        Assert.Null(reopened["closedAt"]);
        Assert.True(string.CompareOrdinal((string?)reopened["updatedAt"], (string?)closed["updatedAt"]) > 0, "each change moves updatedAt forward");
        data.Apply(Mutation("merge_pr", new JsonObject { ["mergedBy"] = "jane" }));
        var merged = TestDataSet.Run(data, Pr1)["data"]!["repository"]!["pullRequest"]!;
        Assert.Equal("MERGED", (string?)merged["state"]);
        Assert.True((bool)merged["merged"]!);
        Assert.Equal((string?)merged["updatedAt"], (string?)merged["mergedAt"]);
        Assert.True(string.CompareOrdinal((string?)merged["updatedAt"], (string?)reopened["updatedAt"]) > 0, "each change moves updatedAt forward");
    }

    [Fact]
    public void Apply_DeletePr_GoneFromListingAndIndex()
    {
        var data = TestDataSet.Load();
        data.Apply(Mutation("delete_pr"));
        var body = TestDataSet.Run(data, "{ repository(owner: \"acme\", name: \"widgets\") { pullRequests(first: 10) { totalCount } } node(id: \"PR_2\") { id } }");
        Assert.Equal(2, (int)body["data"]!["repository"]!["pullRequests"]!["totalCount"]!);
        Assert.Null(body["data"]!["node"]);
    }

    [Fact]
    public void Apply_UnknownOpOrTarget_ArgumentException()
    {
        var data = TestDataSet.Load();
        Assert.Throws<ArgumentException>(() => data.Apply(Mutation("explode")));
        Assert.Throws<ArgumentException>(() => data.Apply(new JsonObject { ["op"] = "close_pr", ["owner"] = "acme", ["repo"] = "widgets", ["number"] = 99 }));
    }
}
