using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Issue 12, row 10: cursors name a place by key, as GitHub's do, so an edit while paging repeats or skips nothing.</summary>
public sealed class CursorTests
{
    private const string Widgets = "repository(owner: \"acme\", name: \"widgets\")";

    private static JsonObject Mutation(string op, int number, JsonObject? extra = null)
    {
        var m = new JsonObject { ["op"] = op, ["owner"] = "acme", ["repo"] = "widgets", ["number"] = number };
        foreach (var (k, v) in extra ?? []) m[k] = v?.DeepClone();
        return m;
    }

    [Fact]
    public async Task Issue_12_Row10_UpdatedAtOrder_EditOfALaterPullRequestMidPaging_NeitherRepeatsNorSkips()
    {
        await using var sim = await RealSimulator.StartAsync();
        const string page = "query($c: String) { " + Widgets + " { pullRequests(first: 1, after: $c, orderBy: {field: UPDATED_AT, direction: DESC}) { pageInfo { endCursor } nodes { number } } } }";

        var first = await sim.PostAsync(page);
        // #3, next in line, is edited: it moves to the top, ahead of the cursor.
        sim.Server.Mutate(Mutation("edit_pr", 3, new JsonObject { ["fields"] = new JsonObject { ["title"] = "edited" } }));
        var second = await sim.PostAsync(page, new JsonObject { ["c"] = (string?)first.Data!["repository"]!["pullRequests"]!["pageInfo"]!["endCursor"] });

        Assert.Equal(1, (int)first.Data["repository"]!["pullRequests"]!["nodes"]![0]!["number"]!);
        // Position-based cursors would answer #1 again (now second); key-based ones go on after it, to #2.
        Assert.Equal(2, (int)second.Data!["repository"]!["pullRequests"]!["nodes"]![0]!["number"]!);
    }

    [Fact]
    public async Task Issue_12_Row10_NaturalOrder_DeletedItemMidPaging_SkipsNothing()
    {
        await using var sim = await RealSimulator.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((string)sim.Server.Mutate(Mutation("add_comment", 2, new JsonObject { ["comment"] = new JsonObject { ["body"] = $"c{i}" } }))["id"]!);
        const string page = "query($c: String) { " + Widgets + " { pullRequest(number: 2) { comments(first: 1, after: $c) { pageInfo { endCursor } nodes { body } } } } }";

        var first = await sim.PostAsync(page);
        sim.Server.Mutate(Mutation("delete_comment", 2, new JsonObject { ["id"] = ids[0] }));
        var second = await sim.PostAsync(page, new JsonObject { ["c"] = (string?)first.Data!["repository"]!["pullRequest"]!["comments"]!["pageInfo"]!["endCursor"] });

        Assert.Equal("c0", (string?)first.Data["repository"]!["pullRequest"]!["comments"]!["nodes"]![0]!["body"]);
        // Position-based cursors would skip c1 (now first); key-based ones resume after c0's place.
        Assert.Equal("c1", (string?)second.Data!["repository"]!["pullRequest"]!["comments"]!["nodes"]![0]!["body"]);
    }

    [Fact]
    public async Task PullRequestCommits_PagedByPosition_AsGitHubDoes()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ pullRequest(number: 1) {{ commits(first: 1) {{ pageInfo {{ endCursor }} }} }} }} }}");

        // GitHub's recorded PR commit cursor for the first commit is "MQ" (base64 of "1"; mergestat TestPRCommits.yaml).
        Assert.Equal("MQ", (string?)answer.Data!["repository"]!["pullRequest"]!["commits"]!["pageInfo"]!["endCursor"]);
    }

    [Fact]
    public async Task Cursor_NotOurs_InvalidCursorArguments()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ pullRequests(first: 1, after: \"bm9wZQ==\") {{ totalCount }} }} }}");

        Assert.Equal("INVALID_CURSOR_ARGUMENTS", (string?)Assert.Single(answer.Errors)!["type"]);
    }
}
