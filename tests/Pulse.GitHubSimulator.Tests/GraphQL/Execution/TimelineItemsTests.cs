using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.TimelineDataSet;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Execution;

/// <summary>PullRequest.timelineItems over HTTP, as GitHub serves it: filters, paging, counts, fragments and cost.</summary>
public sealed class TimelineItemsTests
{
    private static string Pr(int number, string selection) =>
        $"{{ repository(owner: \"acme\", name: \"widgets\") {{ pullRequest(number: {number}) {{ {selection} }} }} }}";

    private static JsonNode Timeline(JsonObject body) => body["data"]!["repository"]!["pullRequest"]!["timelineItems"]!;

    private static string[] Ids(JsonNode connection) => [.. connection["nodes"]!.AsArray().Select(n => (string)n!["id"]!)];

    [Fact]
    public async Task TimelineItems_EveryEventType_OldestFirstWithCounts()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var body = await sim.QueryAsync(Pr(1, $"updatedAt timelineItems(first: 100, itemTypes: [{AllEventTypes}]) {{ filteredCount pageCount updatedAt nodes {{ __typename ... on Node {{ id }} }} }}"));

        var timeline = Timeline(body);
        Assert.Null(body["errors"]);
        Assert.Equal(Pr1Events, Ids(timeline));
        Assert.Equal(10, (int)timeline["filteredCount"]!);
        Assert.Equal(10, (int)timeline["pageCount"]!);
        Assert.Equal((string?)body["data"]!["repository"]!["pullRequest"]!["updatedAt"], (string?)timeline["updatedAt"]);
        Assert.Equal("ReadyForReviewEvent", (string?)timeline["nodes"]![0]!["__typename"]);
    }

    [Fact]
    public async Task TimelineItems_FirstAfter_PagesThroughWithOpaqueCursors()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);
        var query = Pr(1, $"timelineItems(first: 3, after: $after, itemTypes: [{AllEventTypes}]) {{ filteredCount pageCount pageInfo {{ hasNextPage hasPreviousPage endCursor }} edges {{ cursor node {{ ... on Node {{ id }} }} }} }}")
            .Replace("{ repository", "query($after: String) { repository", StringComparison.Ordinal);
        var seen = new List<string>();
        var filtered = new List<int>();
        string? after = null;
        while (true)
        {
            var page = Timeline(await sim.QueryAsync(query, new JsonObject { ["after"] = after }));
            var edges = page["edges"]!.AsArray();
            seen.AddRange(edges.Select(e => (string)e!["node"]!["id"]!));
            filtered.Add((int)page["filteredCount"]!);
            Assert.Equal(edges.Count, (int)page["pageCount"]!);
            Assert.Equal(after is not null, (bool)page["pageInfo"]!["hasPreviousPage"]!);
            Assert.All(edges, e => Assert.DoesNotContain((string)e!["node"]!["id"]!, Decoded((string)e["cursor"]!)));
            if (!(bool)page["pageInfo"]!["hasNextPage"]!) break;
            after = (string?)page["pageInfo"]!["endCursor"];
        }

        Assert.Equal(Pr1Events, seen);
        Assert.Equal([10, 7, 4, 1], filtered);   // filteredCount: the items left after the cursor
    }

    [Fact]
    public async Task TimelineItems_LastBefore_PagesBackwards()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var last = Timeline(await sim.QueryAsync(Pr(1, $"timelineItems(last: 2, itemTypes: [{AllEventTypes}]) {{ pageInfo {{ hasPreviousPage hasNextPage startCursor }} nodes {{ ... on Node {{ id }} }} }}")));
        var before = Timeline(await sim.QueryAsync(Pr(1, $"timelineItems(last: 3, before: \"{last["pageInfo"]!["startCursor"]}\", itemTypes: [{AllEventTypes}]) {{ pageInfo {{ hasPreviousPage hasNextPage }} nodes {{ ... on Node {{ id }} }} }}")));

        Assert.Equal(["ME_T1", "CE_T1"], Ids(last));
        Assert.True((bool)last["pageInfo"]!["hasPreviousPage"]!);
        Assert.False((bool)last["pageInfo"]!["hasNextPage"]!);
        Assert.Equal(["HRFPE_T1", "CTDE_T1", "RFRE_T2"], Ids(before));
        Assert.True((bool)before["pageInfo"]!["hasNextPage"]!);
    }

    [Fact]
    public async Task TimelineItems_Skip_DropsItemsBeforeFirstTakesItsShare()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var page = Timeline(await sim.QueryAsync(Pr(1, $"timelineItems(first: 2, skip: 3, itemTypes: [{AllEventTypes}]) {{ filteredCount pageCount pageInfo {{ hasPreviousPage hasNextPage }} nodes {{ ... on Node {{ id }} }} }}")));
        var negative = await sim.QueryAsync(Pr(1, $"timelineItems(first: 2, skip: -1, itemTypes: [{AllEventTypes}]) {{ pageCount }}"));

        Assert.Equal(["RRE_T3", "RRRE_T1"], Ids(page));
        Assert.Equal(10, (int)page["filteredCount"]!);
        Assert.Equal(2, (int)page["pageCount"]!);
        Assert.True((bool)page["pageInfo"]!["hasPreviousPage"]!);
        Assert.True((bool)page["pageInfo"]!["hasNextPage"]!);
        Assert.Equal("`skip` on the `timelineItems` connection cannot be less than 0, received -1.", (string?)negative["errors"]![0]!["message"]);
    }

    [Fact]
    public async Task TimelineItems_ItemTypesAndSince_KeepTheAskedTypesCreatedAtOrAfterSince()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var merged = Timeline(await sim.QueryAsync(Pr(1, "timelineItems(first: 10, itemTypes: [MERGED_EVENT]) { filteredCount nodes { ... on MergedEvent { id createdAt } } }")));
        var since = Timeline(await sim.QueryAsync(Pr(1, $"timelineItems(first: 10, since: \"2025-03-02T10:00:00Z\", itemTypes: [{AllEventTypes}]) {{ filteredCount nodes {{ ... on Node {{ id }} }} }}")));
        var requests = Timeline(await sim.QueryAsync(Pr(1, "timelineItems(first: 10, since: \"2025-03-02T10:00:01Z\", itemTypes: [REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT]) { nodes { ... on Node { id } } }")));

        Assert.Equal(["ME_T1"], Ids(merged));
        Assert.Equal(1, (int)merged["filteredCount"]!);
        Assert.Equal(Pr1Events[1..], Ids(since));   // RRE_T1 was created exactly at since: kept
        Assert.Equal(9, (int)since["filteredCount"]!);
        Assert.Equal(["RRE_T3", "RRRE_T1"], Ids(requests));
    }

    [Fact]
    public async Task TimelineItems_UnionMembersFromArrays_InTimeOrderThroughInlineFragments()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var timeline = Timeline(await sim.QueryAsync(Pr(1, """
            timelineItems(first: 20, itemTypes: [READY_FOR_REVIEW_EVENT, PULL_REQUEST_COMMIT, ISSUE_COMMENT, PULL_REQUEST_REVIEW, PULL_REQUEST_REVIEW_THREAD]) {
              filteredCount
              nodes { __typename
                ... on PullRequestCommit { id commit { oid } }
                ... on IssueComment { id body }
                ... on PullRequestReview { id state author { __typename login } }
                ... on PullRequestReviewThread { id path }
                ... on ReadyForReviewEvent { id actor { login } } } }
            """)));

        Assert.Equal(["PURC_T1", "RFRE_T1", "IC_T1", "PURC_T2", "PRR_T1", "PRRT_T1", "RFRE_T2", "PRR_T2"], Ids(timeline));
        Assert.Equal(8, (int)timeline["filteredCount"]!);
        var nodes = timeline["nodes"]!.AsArray();
        Assert.Equal("""{"__typename":"PullRequestCommit","id":"PURC_T1","commit":{"oid":"c1"}}""", nodes[0]!.ToJsonString());
        Assert.Equal("""{"__typename":"IssueComment","id":"IC_T1","body":"first"}""", nodes[2]!.ToJsonString());
        Assert.Equal("""{"__typename":"PullRequestReview","id":"PRR_T2","state":"COMMENTED","author":{"__typename":"Bot","login":"copilot-pull-request-reviewer"}}""", nodes[7]!.ToJsonString());
        Assert.Equal("""{"__typename":"ReadyForReviewEvent","id":"RFRE_T2","actor":null}""", nodes[6]!.ToJsonString());
    }

    [Fact]
    public async Task TimelineItems_EventFields_ServedAsTheDataSetHoldsThem()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var timeline = Timeline(await sim.QueryAsync(Pr(1, $$"""
            timelineItems(first: 20, itemTypes: [{{AllEventTypes}}]) { nodes {
              ... on ReviewRequestedEvent { actor { __typename login } requestedReviewer { __typename ... on User { login } ... on Team { name slug } ... on Bot { login } } }
              ... on HeadRefForcePushedEvent { beforeCommit { oid } afterCommit { oid } ref { name } pullRequest { number } }
              ... on MergedEvent { createdAt actor { login } commit { oid } mergeRefName url resourcePath }
              ... on ClosedEvent { closable { __typename ... on PullRequest { number } } }
              ... on UniformResourceLocatable { url } } }
            """)));
        var node = await sim.QueryAsync("""{ node(id: "HRFPE_T1") { __typename ... on HeadRefForcePushedEvent { createdAt } } }""");

        var nodes = timeline["nodes"]!.AsArray();
        Assert.Equal("""{"actor":{"__typename":"User","login":"jane"},"requestedReviewer":{"__typename":"User","login":"bob"}}""", nodes[1]!.ToJsonString());
        Assert.Equal("""{"__typename":"Team","name":"Backend","slug":"backend"}""", nodes[2]!["requestedReviewer"]!.ToJsonString());
        Assert.Equal("""{"__typename":"Bot","login":"copilot-pull-request-reviewer"}""", nodes[3]!["requestedReviewer"]!.ToJsonString());
        Assert.Equal("""{"beforeCommit":{"oid":"x9"},"afterCommit":{"oid":"c2"},"ref":{"name":"feature/x"},"pullRequest":{"number":1}}""", nodes[5]!.ToJsonString());
        Assert.Equal("""{"createdAt":"2025-03-05T12:00:00Z","actor":{"login":"bob"},"commit":{"oid":"m111"},"mergeRefName":"main","url":"https://github.com/acme/widgets/pull/1#event-9","resourcePath":"/acme/widgets/pull/1#event-9"}""", nodes[8]!.ToJsonString());
        Assert.Equal("""{"closable":{"__typename":"PullRequest","number":1},"url":"https://github.com/acme/widgets/pull/1#event-10"}""", nodes[9]!.ToJsonString());
        Assert.Equal("""{"node":{"__typename":"HeadRefForcePushedEvent","createdAt":"2025-03-02T13:00:00Z"}}""", node["data"]!.ToJsonString());
    }

    [Fact]
    public async Task TimelineItems_TotalCount_RefusedBecauseGitHubCountsEveryItemType()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var body = await sim.QueryAsync(Pr(1, "number timelineItems(first: 5, itemTypes: [MERGED_EVENT]) { totalCount }"));

        var error = body["errors"]![0]!;
        Assert.StartsWith("The simulator does not serve PullRequestTimelineItemsConnection.totalCount", (string?)error["message"]);
        Assert.Equal("""["repository","pullRequest","timelineItems","totalCount"]""", error["path"]!.ToJsonString());
        Assert.Null(body["data"]!["repository"]!["pullRequest"]);   // non-null all the way up to the pull request
    }

    [Theory]
    [InlineData("", "without itemTypes")]
    [InlineData("itemTypes: [MERGED_EVENT, LABELED_EVENT, SUBSCRIBED_EVENT], ", "of type LABELED_EVENT, SUBSCRIBED_EVENT;")]
    public async Task TimelineItems_UnrecordedItemTypes_RefusedNamingThem(string arguments, string named)
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var body = await sim.QueryAsync(Pr(1, $"number timelineItems({arguments}first: 5) {{ pageCount }}"));

        var error = body["errors"]![0]!;
        Assert.Contains(named, (string?)error["message"]);
        Assert.StartsWith("The simulator does not serve PullRequest.timelineItems", (string?)error["message"]);
        Assert.Equal("""["repository","pullRequest","timelineItems"]""", error["path"]!.ToJsonString());
        Assert.Null(body["data"]!["repository"]!["pullRequest"]);
    }

    [Fact]
    public async Task TimelineItems_NoTimelineKeyOrAnItemWithoutItsTime_NoEventsOrAnErrorNamingTheField()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var none = Timeline(await sim.QueryAsync(Pr(2, $"timelineItems(first: 5, itemTypes: [{AllEventTypes}]) {{ filteredCount pageCount nodes {{ __typename }} }}")));
        var reopened = Timeline(await sim.QueryAsync(Pr(3, $"timelineItems(first: 5, itemTypes: [{AllEventTypes}]) {{ nodes {{ __typename }} }}")));
        var undated = await sim.QueryAsync(Pr(3, "timelineItems(first: 5, itemTypes: [PULL_REQUEST_COMMIT]) { pageCount }"));

        Assert.Equal("""{"filteredCount":0,"pageCount":0,"nodes":[]}""", none.ToJsonString());
        Assert.Equal("""{"nodes":[{"__typename":"ClosedEvent"},{"__typename":"ReopenedEvent"}]}""", reopened.ToJsonString());
        Assert.Equal("The data set has no Commit.committedDate for PURC_T3: PullRequest.timelineItems places items by it.", (string?)undated["errors"]![0]!["message"]);
    }

    [Fact]
    public async Task TimelineItems_Cost_CountedLikeEveryConnection()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);
        const string Nested = "rateLimit { cost nodeCount } repository(owner: \"acme\", name: \"widgets\") { pullRequests(first: 100) { nodes { number timelineItems(first: {0}, itemTypes: [MERGED_EVENT]) { nodes { __typename } } } } }";

        var priced = await sim.QueryAsync("{ " + Nested.Replace("{0}", "100", StringComparison.Ordinal) + " }");
        var tooMany = await sim.QueryAsync("{ " + Nested.Replace("{0}", "101", StringComparison.Ordinal) + " }");
        var unbounded = await sim.QueryAsync(Pr(1, "timelineItems(itemTypes: [MERGED_EVENT]) { nodes { __typename } }"));

        // 1 + 100 requests (one per possible pull request), 100 + 100 x 100 possible nodes: GitHub's rule for every connection.
        Assert.Equal("""{"cost":1,"nodeCount":10100}""", priced["data"]!["rateLimit"]!.ToJsonString());
        Assert.Equal("EXCESSIVE_PAGINATION", (string?)tooMany["errors"]![0]!["type"]);
        Assert.Equal("MISSING_PAGINATION_BOUNDARIES", (string?)unbounded["errors"]![0]!["type"]);
    }

    [Fact]
    public async Task LabelsAndAuthor_ServedWithTypenameAndBotLoginsWithoutSuffix()
    {
        await using var sim = await LiveSimulator.StartAsync(Json);

        var merged = await sim.QueryAsync(Pr(1, "author { __typename login } labels(first: 10) { totalCount nodes { id name color } }"));
        var bot = await sim.QueryAsync(Pr(2, "author { __typename login } labels(first: 10) { totalCount }"));

        Assert.Equal("""{"author":{"__typename":"User","login":"jane"},"labels":{"totalCount":2,"nodes":[{"id":"LA_T1","name":"bug","color":"d73a4a"},{"id":"LA_T2","name":"docs","color":"0075ca"}]}}""",
            merged["data"]!["repository"]!["pullRequest"]!.ToJsonString());
        Assert.Equal("""{"author":{"__typename":"Bot","login":"dependabot"},"labels":{"totalCount":0}}""", bot["data"]!["repository"]!["pullRequest"]!.ToJsonString());
    }

    /// <summary>A cursor's text: GitHub's cursors are base64 with the padding trimmed.</summary>
    private static string Decoded(string cursor) => Encoding.UTF8.GetString(Convert.FromBase64String(cursor.PadRight(cursor.Length + (4 - cursor.Length % 4) % 4, '=')));
}
