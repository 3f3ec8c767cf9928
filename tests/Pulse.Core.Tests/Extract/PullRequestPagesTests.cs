using System.Text.Json;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Extract;

/// <summary>A PR asked by node id brings the first page of each connection (issue 15): one round instead of three.</summary>
public sealed class PullRequestPagesTests
{
    private static Checkpoint ById(long id, int pageSize = 50, long held = 0) =>
        new(id, 1, 1, 7, FetchKind.PullRequest, $"PR_{id}", $"PR_{id}", null, held, 0, pageSize, null, "acme", "repo7");

    [Fact]
    public void Plan_PullRequestsById_PackedUnderOnePointWithEveryConnectionPaged()
    {
        var options = new ExtractOptions { InitialItemsPerQuery = 10_000 };
        var plan = new QueryPlanner(options).Plan([.. Enumerable.Range(1, 40).Select(i => ById(i))], new WorkBudgets(options))!;

        // Six connections per PR, one request each: 24 PRs is the most one point buys (149 requests).
        Assert.Equal(24, plan.Units.Count);
        Assert.Equal(144, plan.Requests);
        Assert.Equal(1, plan.Points);
        Assert.Equal(144 * 50, plan.PossibleNodes);
        foreach (var page in new[] { "commitPage: commits(first: 50)", "reviewPage: reviews(first: 50)", "commentPage: comments(first: 50)",
                     "threadPage: reviewThreads(first: 50)", "labelPage: labels(first: 50)", "timelineItems(first: 50, itemTypes: [" })
            Assert.Contains(page, plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PullRequestWithPages_RowsOfEveryStepAndCheckpointsOnlyForWhatThePagesLeft()
    {
        using var response = Answer("""
            {"data":{"u0":{"id":"PR_1","number":1,"title":"t","state":"OPEN","isDraft":false,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z",
              "commits":{"totalCount":3},"reviews":{"totalCount":1},"comments":{"totalCount":0},"reviewThreads":{"totalCount":1},"labels":{"totalCount":0},
              "commitPage":{"totalCount":3,"pageInfo":{"hasNextPage":true,"endCursor":"C2"},"nodes":[{"commit":{"oid":"a"}},{"commit":{"oid":"b"}}]},
              "reviewPage":{"totalCount":1,"pageInfo":{"hasNextPage":false,"endCursor":"R1"},"nodes":[{"id":"PRR_1"}]},
              "commentPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},
              "threadPage":{"totalCount":1,"pageInfo":{"hasNextPage":false,"endCursor":"T1"},"nodes":[{"id":"PRRT_1","comments":{"totalCount":2}}]},
              "labelPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},
              "timelineItems":{"filteredCount":1,"pageInfo":{"hasNextPage":false,"endCursor":"E1"},"nodes":[{"__typename":"ReadyForReviewEvent","id":"RFR_1"}]}},
             "rateLimit":{"cost":1}}}
            """);

        var outcome = PageReader.Read(response, [new FetchUnit("u0", ById(1), 2)]);

        Assert.True(Assert.Single(outcome.Advances).Done);
        Assert.Equal([FetchKind.PullRequest, .. PullRequestPages.Kinds], outcome.Units.Select(u => u.Kind));
        Assert.All(outcome.Units, u => Assert.Equal("u0", u.Alias));
        Assert.Equal(GitHubPrJob.Steps, outcome.StepsWithData);
        // The commits went on past their first page (from its cursor); the thread's comments are asked of the thread; nothing else.
        Assert.Equal(2, outcome.NewCheckpoints.Count);
        var commits = Assert.Single(outcome.NewCheckpoints, c => c.Kind == FetchKind.Commits);
        Assert.Equal(("PR_1", "C2", 1L), (commits.ParentNodeId, commits.Cursor, commits.Remaining));
        var thread = Assert.Single(outcome.NewCheckpoints, c => c.Kind == FetchKind.ThreadComments);
        Assert.Equal(("PRRT_1", "PR_1", 2L), (thread.ParentNodeId, thread.PullRequestNodeId, thread.Remaining));
        Assert.Equal(3, outcome.StepTotals[GitHubPrJob.Commits.Name]);
        Assert.Equal(2, outcome.StepTotals[GitHubPrJob.Comments.Name]);
    }

    [Fact]
    public void Plan_PullRequestHeldWithMoreThanAPage_AsksTheLastItemsOfEachPagedConnectionToo()
    {
        var options = new ExtractOptions { InitialItemsPerQuery = 10_000 };
        var plan = new QueryPlanner(options).Plan([ById(1, pageSize: 100, held: 130), ById(2, pageSize: 100)], new WorkBudgets(options))!;

        // 30 past the first page and a margin of 10: four tails of 40, one request each, only for the PR held that large.
        Assert.Equal(6 + 4 + 6, plan.Requests);
        foreach (var tail in new[] { "commitTail: commits(last: 40)", "reviewTail: reviews(last: 40)", "commentTail: comments(last: 40)", "threadTail: reviewThreads(last: 40)" })
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(plan.Text, System.Text.RegularExpressions.Regex.Escape(tail)));
    }

    [Fact]
    public void Plan_PullRequestWhoseCommitsPulseHoldsAll_AsksNoCommitPageOrTail()
    {
        var options = new ExtractOptions { InitialItemsPerQuery = 10_000 };
        var held = ById(1, pageSize: 100, held: 130) with { HeldCommits = new HeldCommits("h1", 260) };
        var plan = new QueryPlanner(options).Plan([held, ById(2, pageSize: 100)], new WorkBudgets(options))!;

        // PR_1: five pages and three tails (no commits); PR_2 all six pages. The commits' count and head come with the PR's fields.
        Assert.Equal(5 + 3 + 6, plan.Requests);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(plan.Text, "commitPage: commits"));
        Assert.DoesNotContain("commitTail", plan.Text, StringComparison.Ordinal);
        Assert.Contains("reviewTail: reviews(last: 40)", plan.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h1", 260, true)]
    [InlineData("h2", 260, false)]   // pushed to, or force-pushed to the same number of commits
    [InlineData("h1", 261, false)]   // the base moved over some of them, or any other change of the count
    public void Read_PullRequestWhoseCommitsPulseHoldsAll_KeptWhenHeadAndCountAreTheSame_ElseAllAskedFromTheStart(string head, int count, bool kept)
    {
        using var response = Answer("""
            {"data":{"u0":{"id":"PR_1","number":1,"title":"t","state":"OPEN","isDraft":false,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z",
              "headRefOid":"HEAD","commits":{"totalCount":COUNT},"reviews":{"totalCount":0},"comments":{"totalCount":0},"reviewThreads":{"totalCount":0},"labels":{"totalCount":0},
              "reviewPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},
              "commentPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},
              "threadPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},
              "labelPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},
              "timelineItems":{"filteredCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]}},
             "rateLimit":{"cost":1}}}
            """.Replace("HEAD", head, StringComparison.Ordinal).Replace("COUNT", count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var held = ById(1) with { HeldCommits = new HeldCommits("h1", 260) };

        var outcome = PageReader.Read(response, [new FetchUnit("u0", held, 100)]);

        var commitUnits = outcome.Units.Where(u => u.Kind == FetchKind.Commits).ToList();
        var asked = outcome.NewCheckpoints.Where(c => c.Kind == FetchKind.Commits).ToList();
        if (kept)
        {
            Assert.True(Assert.Single(commitUnits).Kept);
            Assert.Empty(asked);
            Assert.False(outcome.StepTotals.ContainsKey(GitHubPrJob.Commits.Name));
            // The kept commits are their step's work: the page's transform marks them seen, with the PR's row in the same commit.
            Assert.Contains(GitHubPrJob.Commits, outcome.StepsWithData);
        }
        else
        {
            Assert.Empty(commitUnits);
            var all = Assert.Single(asked);
            Assert.Equal(("PR_1", null, (long)count), (all.ParentNodeId, all.Cursor, all.Remaining));
            Assert.Equal(count, outcome.StepTotals[GitHubPrJob.Commits.Name]);
        }
    }

    [Fact]
    public void Map_KeptCommits_NoRowsButThePullRequestToMarkSeen()
    {
        var payload = System.Text.Encoding.UTF8.GetBytes("""{"data":{"u0":{"id":"PR_1","commits":{"totalCount":2}}}}""");
        RawUnit[] units = [new("u0", FetchKind.Commits, 7, "PR_1", "PR_1", null, true) { Kept = true }];

        var rows = PageContent.Read(payload, units, GitHubPrJob.Commits);

        Assert.Empty(rows.Commits);
        Assert.Equal(["PR_1"], rows.KeptCommits);
    }

    [Fact]
    public void TailWidth_HeldNoMoreThanAPage_NoTail() => Assert.Equal(0, PullRequestPages.TailWidth(ById(1, held: 100), 100));

    [Fact]
    public void TailWidth_PullRequestHeldPastTwoPages_AFullTail() => Assert.Equal(100, PullRequestPages.TailWidth(ById(1, held: 260), 100));

    [Fact]
    public void TailWidth_ThreadHeldPastTwoPages_NoTail() =>
        Assert.Equal(0, PullRequestPages.TailWidth(new Checkpoint(1, 1, 1, 7, FetchKind.ThreadComments, "PRRT_1", "PR_1", null, 260, 0, 100, null, "acme", "repo7"), 100));

    [Fact]
    public void Read_CommitsPastFirstPageAndTail_OnlyTheMiddleBackwardsFromTheTailsStart()
    {
        using var response = Answer(PullRequestAnswer(total: 5, page: """["a","b"]""", tail: """["d","e"]""", tailStart: "T4"));

        var outcome = PageReader.Read(response, [new FetchUnit("u0", ById(1, held: 5), 2)]);

        var middle = Assert.Single(outcome.NewCheckpoints);
        Assert.Equal((FetchKind.CommitsBefore, "T4", 1L), (middle.Kind, middle.Cursor, middle.Remaining));
        var plan = new QueryPlanner(new ExtractOptions()).Plan([new Checkpoint(2, 1, 1, 7, FetchKind.CommitsBefore, "PR_1", "PR_1", "T4", 1, 0, 100, null, "acme", "repo7")],
            new WorkBudgets(new ExtractOptions()))!;
        Assert.Contains("commits(last: 11, before: $c0)", plan.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 2, false)]
    [InlineData(false, 2, true)]
    [InlineData(true, 1, true)]
    public void Read_CommitsBefore_DoneOnceTheMiddleIsInOrNothingIsBefore(bool hasPrevious, long middle, bool done)
    {
        using var response = Answer("""
            {"data":{"u0":{"commits":{"totalCount":9,"pageInfo":{"hasPreviousPage":PREVIOUS,"startCursor":"S1"},
              "nodes":[{"id":"PC_c","commit":{"oid":"c"}}]}},"rateLimit":{"cost":1}}}
            """.Replace("PREVIOUS", hasPrevious ? "true" : "false", StringComparison.Ordinal));
        var cp = new Checkpoint(2, 1, 1, 7, FetchKind.CommitsBefore, "PR_1", "PR_1", "T4", middle, 0, 100, null, "acme", "repo7");

        var outcome = PageReader.Read(response, [new FetchUnit("u0", cp, 11)]);

        Assert.Equal((done, "S1", middle - 1), (outcome.Advances[0].Done, outcome.Advances[0].Cursor, outcome.Advances[0].Remaining));
        Assert.Equal(["c"], PageContent.Read(response.Body, outcome.Units, GitHubPrJob.Commits).Commits.Select(c => c.Oid));
    }

    private static string PullRequestAnswer(int total, string page, string tail, string tailStart) => """
        {"data":{"u0":{"id":"PR_1","number":1,"title":"t","state":"OPEN","isDraft":false,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z",
          "commits":{"totalCount":TOTAL},"reviews":{"totalCount":0},"comments":{"totalCount":0},"reviewThreads":{"totalCount":0},"labels":{"totalCount":0},
          "commitPage":{"totalCount":TOTAL,"pageInfo":{"hasNextPage":true,"endCursor":"C2"},"nodes":PAGE},
          "commitTail":{"pageInfo":{"hasPreviousPage":true,"startCursor":"TAILSTART"},"nodes":TAIL},
          "reviewPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},"reviewTail":{"nodes":[]},
          "commentPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},"commentTail":{"nodes":[]},
          "threadPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},"threadTail":{"nodes":[]},
          "labelPage":{"totalCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]},
          "timelineItems":{"filteredCount":0,"pageInfo":{"hasNextPage":false,"endCursor":null},"nodes":[]}},
         "rateLimit":{"cost":1}}}
        """.Replace("TOTAL", total.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("TAILSTART", tailStart, StringComparison.Ordinal).Replace("PAGE", Commits(page), StringComparison.Ordinal)
        .Replace("TAIL", Commits(tail), StringComparison.Ordinal);

    /// <summary>PullRequestCommit nodes of the given oids, as a JSON array.</summary>
    private static string Commits(string oids) =>
        new System.Text.Json.Nodes.JsonArray([.. JsonSerializer.Deserialize<string[]>(oids)!.Select(o =>
            (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["id"] = $"PC_{o}", ["commit"] = new System.Text.Json.Nodes.JsonObject { ["oid"] = o } })])
        .ToJsonString();

    [Fact]
    public void Read_TailHoldsWhatTheFirstPageLeft_RowsOfBothOnceAndNoCheckpoint()
    {
        using var response = Answer(PullRequestAnswer(total: 3, page: """["a","b"]""", tail: """["b","c"]""", tailStart: "T2"));

        var outcome = PageReader.Read(response, [new FetchUnit("u0", ById(1, held: 3), 2)]);

        Assert.Empty(outcome.NewCheckpoints);
        var rows = PageContent.Read(response.Body, outcome.Units, GitHubPrJob.Commits);
        Assert.Equal(["a", "b", "c"], rows.Commits.Select(c => c.Oid));
    }

    [Theory]
    [InlineData(3, """[{"id":"C_2"},{"id":"C_3"}]""", true)]
    [InlineData(4, """[{"id":"C_4"},{"id":"C_3"}]""", false)]
    public void Read_ThreadCommentsWithTail_DoneOnlyWhenFirstPageAndTailHoldEveryComment(int total, string tail, bool done)
    {
        using var response = Answer("""
            {"data":{"u0":{"id":"PRRT_1","comments":{"totalCount":TOTAL,"pageInfo":{"hasNextPage":true,"endCursor":"K1"},"nodes":[{"id":"C_1"}]},
              "commentTail":{"nodes":TAIL}},"rateLimit":{"cost":1}}}
            """.Replace("TOTAL", total.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("TAIL", tail, StringComparison.Ordinal));
        var thread = new Checkpoint(1, 1, 1, 7, FetchKind.ThreadComments, "PRRT_1", "PR_1", null, 3, 0, 1, null, "acme", "repo7");

        var advance = Assert.Single(PageReader.Read(response, [new FetchUnit("u0", thread, 1)]).Advances);

        // With four comments, the first page and the tail miss the second: it is only reached by paging on from the cursor.
        Assert.Equal((done, "K1"), (advance.Done, advance.Cursor));
    }

    [Fact]
    public void Connection_PageBesideTheFieldsTotalCount_ReadsThePage()
    {
        using var document = JsonDocument.Parse("""{"commits":{"totalCount":3},"commitPage":{"totalCount":3,"nodes":[{"commit":{"oid":"a"}}]}}""");

        var page = PageReader.Connection(document.RootElement, FetchKind.Commits)!.Value;

        Assert.Single(page.Nodes());
    }

    private static GraphQLResponse Answer(string body) =>
        new(System.Text.Encoding.UTF8.GetBytes(body), JsonDocument.Parse(body), [], null, null);
}
