using System.Net;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.TimelineDataSet;

namespace Pulse.GitHubSimulator.Tests.Data;

/// <summary>/_sim/mutate's timeline operations over HTTP: each appends the event GitHub records and moves updatedAt.</summary>
public sealed class SimulatorStoreTimelineTests
{
    private const string Events = $"timelineItems(first: 100, itemTypes: [{AllEventTypes}, PULL_REQUEST_REVIEW]) {{ nodes {{ __typename "
        + "... on Node { id } ... on ReadyForReviewEvent { createdAt actor { login } } ... on ConvertToDraftEvent { createdAt } "
        + "... on ReviewRequestedEvent { requestedReviewer { __typename ... on User { login } ... on Team { slug } } } "
        + "... on ReviewRequestRemovedEvent { requestedReviewer { __typename ... on Team { slug } } } "
        + "... on HeadRefForcePushedEvent { beforeCommit { oid } afterCommit { oid } ref { name } } "
        + "... on MergedEvent { createdAt actor { login } commit { oid } mergeRefName } ... on ClosedEvent { createdAt } } }";

    private static JsonObject Op(string op, int number, JsonObject? fields = null)
    {
        var mutation = new JsonObject { ["op"] = op, ["owner"] = "acme", ["repo"] = "widgets", ["number"] = number };
        foreach (var (key, value) in fields ?? []) mutation[key] = value?.DeepClone();
        return mutation;
    }

    private static async Task<JsonNode> PullRequestAsync(LiveSimulator sim, int number, string selection = Events)
    {
        var answer = await sim.QueryAsync($"{{ repository(owner: \"acme\", name: \"widgets\") {{ pullRequest(number: {number}) {{ state isDraft updatedAt mergedAt headRefOid {selection} }} }} }}");
        Assert.True(answer["errors"] is null, answer.ToJsonString());
        return answer["data"]!["repository"]!["pullRequest"]!;
    }

    private static async Task<JsonObject> AppliedAsync(LiveSimulator sim, JsonObject mutation)
    {
        var (status, body) = await sim.MutateAsync(mutation);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static JsonNode Last(JsonNode pr) => pr["timelineItems"]!["nodes"]!.AsArray()[^1]!;

    [Fact]
    public async Task Mutate_DraftReadiedRequestedReviewedForcePushedMerged_TimelineFollowsAndUpdatedAtMoves()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);
        var stamps = new List<string> { (string)(await PullRequestAsync(sim, 2))["updatedAt"]! };

        var ready = await AppliedAsync(sim, Op("ready_for_review", 2));
        var pr = await PullRequestAsync(sim, 2);
        stamps.Add((string)pr["updatedAt"]!);
        Assert.False((bool)pr["isDraft"]!);
        Assert.Equal($$$"""{"__typename":"ReadyForReviewEvent","id":"{{{ready["id"]}}}","createdAt":"{{{ready["updatedAt"]}}}","actor":{"login":"dependabot"}}""", Last(pr).ToJsonString());

        await AppliedAsync(sim, Op("convert_to_draft", 2, new JsonObject { ["actor"] = "jane" }));
        Assert.True((bool)(await PullRequestAsync(sim, 2))["isDraft"]!);
        await AppliedAsync(sim, Op("ready_for_review", 2));
        await AppliedAsync(sim, Op("request_review", 2, new JsonObject { ["reviewer"] = "bob" }));
        var team = new JsonObject { ["__typename"] = "Team", ["id"] = "T_1", ["name"] = "Backend", ["slug"] = "backend" };
        await AppliedAsync(sim, Op("request_review", 2, new JsonObject { ["reviewer"] = team.DeepClone() }));
        await AppliedAsync(sim, Op("remove_review_request", 2, new JsonObject { ["reviewer"] = team.DeepClone() }));
        var review = await AppliedAsync(sim, Op("add_review", 2, new JsonObject { ["review"] = new JsonObject { ["state"] = "APPROVED", ["author"] = new JsonObject { ["__typename"] = "User", ["login"] = "bob" } } }));
        var push = await AppliedAsync(sim, Op("force_push", 2, new JsonObject { ["commits"] = new JsonArray(new JsonObject { ["oid"] = "e1" }, new JsonObject { ["oid"] = "e2" }) }));
        pr = await PullRequestAsync(sim, 2, Events + " commits(first: 10) { nodes { commit { oid } } }");
        stamps.Add((string)pr["updatedAt"]!);
        Assert.Equal("e2", (string?)pr["headRefOid"]);
        Assert.Equal("""[{"commit":{"oid":"e1"}},{"commit":{"oid":"e2"}}]""", pr["commits"]!["nodes"]!.ToJsonString());
        Assert.Equal($$$"""{"__typename":"HeadRefForcePushedEvent","id":"{{{push["id"]}}}","beforeCommit":{"oid":"d1"},"afterCommit":{"oid":"e2"},"ref":{"name":"deps"}}""", Last(pr).ToJsonString());
        Assert.Null((await sim.QueryAsync("""{ node(id: "PURC_T4") { id } }"""))["data"]!["node"]);   // the replaced commit is gone

        await AppliedAsync(sim, Op("merge_pr", 2, new JsonObject { ["mergedBy"] = "carol", ["mergeCommit"] = "m222" }));
        pr = await PullRequestAsync(sim, 2);
        stamps.Add((string)pr["updatedAt"]!);

        var nodes = pr["timelineItems"]!["nodes"]!.AsArray();
        Assert.Equal(["ReadyForReviewEvent", "ConvertToDraftEvent", "ReadyForReviewEvent", "ReviewRequestedEvent", "ReviewRequestedEvent", "ReviewRequestRemovedEvent",
            "PullRequestReview", "HeadRefForcePushedEvent", "MergedEvent", "ClosedEvent"], nodes.Select(n => (string)n!["__typename"]!));
        Assert.Equal((string?)review["id"], (string?)nodes[6]!["id"]);
        Assert.Equal("""{"__typename":"User","login":"bob"}""", nodes[3]!["requestedReviewer"]!.ToJsonString());
        Assert.Equal("""{"__typename":"Team","slug":"backend"}""", nodes[5]!["requestedReviewer"]!.ToJsonString());
        var merged = nodes.Single(n => (string)n!["__typename"]! == "MergedEvent")!;
        Assert.Equal((string?)pr["mergedAt"], (string?)merged["createdAt"]);
        Assert.Equal((string?)pr["mergedAt"], (string?)nodes[^1]!["createdAt"]);
        Assert.Equal("""{"login":"carol"}{"oid":"m222"}main""", merged["actor"]!.ToJsonString() + merged["commit"]!.ToJsonString() + (string?)merged["mergeRefName"]);
        Assert.Equal("MERGED", (string?)pr["state"]);
        Assert.Equal(stamps.Order(StringComparer.Ordinal), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Fact]
    public async Task Mutate_CloseAndReopen_AppendTheirEventsAfterTheRecordedOnes()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        await AppliedAsync(sim, Op("close_pr", 3));
        await AppliedAsync(sim, Op("reopen_pr", 3, new JsonObject { ["actor"] = new JsonObject { ["__typename"] = "Bot", ["login"] = "stale" } }));
        var pr = await PullRequestAsync(sim, 3, "timelineItems(first: 10, itemTypes: [CLOSED_EVENT, REOPENED_EVENT]) { filteredCount nodes { __typename ... on ReopenedEvent { actor { __typename login } } } }");

        Assert.Equal("OPEN", (string?)pr["state"]);
        Assert.Equal(4, (int)pr["timelineItems"]!["filteredCount"]!);
        Assert.Equal("""{"__typename":"ReopenedEvent","actor":{"__typename":"Bot","login":"stale"}}""", Last(pr).ToJsonString());
    }

    [Theory]
    [InlineData("merge_pr", 2, null, "merge_pr: #2 is a draft; only an open pull request ready for review can be merged.")]
    [InlineData("reopen_pr", 1, null, "reopen_pr: #1 is MERGED; only a closed, unmerged pull request can be reopened.")]
    [InlineData("close_pr", 1, null, "close_pr: #1 is MERGED; only an open pull request can be closed.")]
    [InlineData("ready_for_review", 3, null, "ready_for_review: #3 is not an open draft.")]
    [InlineData("convert_to_draft", 1, null, "convert_to_draft: #1 is not an open pull request ready for review.")]
    [InlineData("request_review", 3, null, "request_review needs a \"reviewer\"")]
    [InlineData("force_push", 3, """{"commits":[{"oid":"c9"},{"oid":"c3"}]}""", "force_push: the new commits still hold the head c3; that is an ordinary push (add_commit).")]
    public async Task Mutate_ChangeGitHubRefuses_400NamingWhyAndNothingChanges(string op, int number, string? fields, string message)
    {
        await using var sim = await LiveSimulator.StartAsync(Json);
        var before = await PullRequestAsync(sim, number);

        var (status, body) = await sim.MutateAsync(Op(op, number, fields is null ? null : JsonNode.Parse(fields)!.AsObject()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message, (string?)body["message"]);
        Assert.Equal(before.ToJsonString(), (await PullRequestAsync(sim, number)).ToJsonString());
    }
}
