using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Execution;

/// <summary>Sorted pull request lists are kept between requests; every change must show in the next answer.</summary>
public class PullRequestsTests
{
    private const string Repo = "repository(owner: \"acme\", name: \"widgets\")";

    private static string Numbers(ISimulatorData data, string arguments) =>
        TestDataSet.Run(data, $"{{ {Repo} {{ pullRequests(first: 10{arguments}) {{ nodes {{ number }} }} }} }}")
            ["data"]!["repository"]!["pullRequests"]!["nodes"]!.ToJsonString();

    [Fact]
    public void Select_AfterEdit_NewOrderAndFilter()
    {
        var data = TestDataSet.Load();
        const string newestFirst = ", orderBy: {field: UPDATED_AT, direction: DESC}";
        Assert.Equal("""[{"number":1},{"number":3},{"number":2}]""", Numbers(data, newestFirst));
        Assert.Equal("""[{"number":2}]""", Numbers(data, ", states: [OPEN]"));

        data.Apply(new JsonObject { ["op"] = "edit_pr", ["owner"] = "acme", ["repo"] = "widgets", ["number"] = 2, ["fields"] = new JsonObject { ["title"] = "moved" } });
        Assert.Equal("""[{"number":2},{"number":1},{"number":3}]""", Numbers(data, newestFirst));

        data.Apply(new JsonObject { ["op"] = "close_pr", ["owner"] = "acme", ["repo"] = "widgets", ["number"] = 2 });
        Assert.Equal("[]", Numbers(data, ", states: [OPEN]"));
        Assert.Equal("""[{"number":2},{"number":3}]""", Numbers(data, ", states: [CLOSED]"));
    }

    [Fact]
    public void Select_StatesInAnyOrder_SameList()
    {
        var data = TestDataSet.Load();
        Assert.Equal(Numbers(data, ", states: [MERGED, CLOSED]"), Numbers(data, ", states: [CLOSED, MERGED]"));
        Assert.Equal("""[{"number":1},{"number":3}]""", Numbers(data, ", states: [CLOSED, MERGED]"));
    }
}
