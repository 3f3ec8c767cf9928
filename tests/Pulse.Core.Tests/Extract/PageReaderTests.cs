using System.Text.Json;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;

namespace Pulse.Core.Tests.Extract;

/// <summary>How an answer moves the checkpoints: GitHub's NOT_FOUND (issue 6), RESOURCE_LIMITS_EXCEEDED and thread comments (issue 12).</summary>
public sealed class PageReaderTests
{
    private static Checkpoint Cp(long id, long repositoryId, FetchKind kind) =>
        new(id, 1, 1, repositoryId, kind, kind is FetchKind.PullRequests or FetchKind.RepositoryHead ? $"R_{repositoryId}" : $"PR_{id}",
            null, null, 10, 0, 100, null, "acme", $"repo{repositoryId}");

    private static GraphQLResponse Answer(string body)
    {
        var document = JsonDocument.Parse(body);
        var errors = document.RootElement.TryGetProperty("errors", out var e)
            ? e.EnumerateArray().Select(x => new GraphQLError(x.GetProperty("message").GetString()!, x.GetProperty("type").GetString(),
                x.GetProperty("path").EnumerateArray().Select(p => p.ToString()).ToList())).ToList()
            : [];
        return new GraphQLResponse(System.Text.Encoding.UTF8.GetBytes(body), document, errors, null, null);
    }

    [Theory]
    [InlineData(FetchKind.PullRequests)]
    [InlineData(FetchKind.RepositoryHead)]
    public void Read_RepositoryNotFound_DoneWithItsNoteAndTheRepositoryReportedMissing(FetchKind kind)
    {
        using var response = Answer("""
            {"data":{"u0":null,"rateLimit":{"cost":1}},
             "errors":[{"type":"NOT_FOUND","path":["u0"],"message":"Could not resolve to a Repository with the name 'acme/repo7'."}]}
            """);

        var outcome = PageReader.Read(response, [new FetchUnit("u0", Cp(3, 7, kind), 100)]);

        var advance = Assert.Single(outcome.Advances);
        Assert.True(advance.Done);
        Assert.False(advance.Failed);
        Assert.Equal("Repository acme/repo7 was not found on GitHub (deleted, renamed, or no longer visible to the token): " +
            "it is marked inactive and left out of later runs; its stored rows are kept.", advance.Error);
        Assert.Equal([7L], outcome.MissingRepositories);
        Assert.Empty(outcome.NewCheckpoints);
        Assert.Empty(outcome.StepsWithData);
    }

    [Fact]
    public void Read_PullRequestNotFound_DoneButItsRepositoryStays()
    {
        using var response = Answer("""
            {"data":{"u0":null,"rateLimit":{"cost":1}},
             "errors":[{"type":"NOT_FOUND","path":["u0"],"message":"Could not resolve to a node with the global id of 'PR_3'."}]}
            """);

        var outcome = PageReader.Read(response, [new FetchUnit("u0", Cp(3, 7, FetchKind.Commits), 100)]);

        Assert.True(Assert.Single(outcome.Advances).Done);
        Assert.Empty(outcome.MissingRepositories);
    }

    [Fact]
    public void Read_RepositoryWithAnotherError_FailsTheAttemptAndKeepsTheRepository()
    {
        using var response = Answer("""
            {"data":{"u0":null,"rateLimit":{"cost":1}},
             "errors":[{"type":"SERVICE_UNAVAILABLE","path":["u0"],"message":"Something went wrong."}]}
            """);

        var outcome = PageReader.Read(response, [new FetchUnit("u0", Cp(3, 7, FetchKind.PullRequests), 100)]);

        var advance = Assert.Single(outcome.Advances);
        Assert.False(advance.Done);
        Assert.True(advance.Failed);
        Assert.Empty(outcome.MissingRepositories);
    }

    [Fact]
    public void Read_ResourceLimitsExceeded_KeepsTheGoodPartAndDefersTheRestWithoutFailingIt()
    {
        using var response = Answer("""
            {"data":{"u0":{"commits":{"totalCount":1,"pageInfo":{"hasNextPage":false,"endCursor":"MQ"},"nodes":[{"id":"PURC_1"}]}},"u1":null,"u2":null,"rateLimit":{"cost":1}},
             "errors":[{"type":"RESOURCE_LIMITS_EXCEEDED","path":["u1"],"message":"Resource limits for this query exceeded."}]}
            """);
        var units = Enumerable.Range(0, 3).Select(i => new FetchUnit($"u{i}", Cp(i + 1, 7, FetchKind.Commits), 100)).ToList();

        var outcome = PageReader.Read(response, units);

        Assert.True(outcome.ResourceLimited);
        var advance = Assert.Single(outcome.Advances);
        Assert.Equal(1, advance.CheckpointId);
        Assert.True(advance.Done);
        Assert.Equal(["u1", "u2"], outcome.Deferred.Select(u => u.Alias));
        Assert.Equal(["u0"], outcome.Units.Select(u => u.Alias));
    }

    [Fact]
    public void Read_ReviewThreads_EveryThreadWithCommentsGetsItsOwnCheckpoint()
    {
        using var response = Answer("""
            {"data":{"u0":{"reviewThreads":{"totalCount":2,"pageInfo":{"hasNextPage":false,"endCursor":"x"},"nodes":[
               {"id":"PRRT_1","comments":{"totalCount":3}},{"id":"PRRT_2","comments":{"totalCount":0}}]}},"rateLimit":{"cost":1}}}
            """);
        var threads = Cp(1, 7, FetchKind.ReviewThreads) with { PullRequestNodeId = "PR_9" };

        var outcome = PageReader.Read(response, [new FetchUnit("u0", threads, 2)]);

        var comments = Assert.Single(outcome.NewCheckpoints);
        Assert.Equal((FetchKind.ThreadComments, "PRRT_1", "PR_9", (string?)null, 3L), (comments.Kind, comments.ParentNodeId, comments.PullRequestNodeId, comments.Cursor, comments.Remaining));
        Assert.Equal(3, outcome.StepTotals["github_comments"]);
    }

    [Fact]
    public void Read_ListingPage_EveryPrGetsATimelineCheckpointAndLabelsOnlyWhenItHasSome()
    {
        using var response = Answer("""
            {"data":{"u0":{"pullRequests":{"totalCount":2,"pageInfo":{"hasNextPage":false,"endCursor":"c"},"nodes":[
              {"id":"PR_a","state":"MERGED","updatedAt":"2026-01-02T00:00:00Z","reviews":{"totalCount":3},"labels":{"totalCount":2}},
              {"id":"PR_b","state":"OPEN","updatedAt":"2026-01-01T00:00:00Z","labels":{"totalCount":0}}]}},"rateLimit":{"cost":1}}}
            """);

        var outcome = PageReader.Read(response, [new FetchUnit("u0", Cp(1, 7, FetchKind.PullRequests), 100)]);

        var timelines = outcome.NewCheckpoints.Where(c => c.Kind == FetchKind.TimelineEvents).ToList();
        Assert.Equal(["PR_a", "PR_b"], timelines.Select(c => c.ParentNodeId));
        Assert.Equal([2 + 3 + 1, 0 + 0 + 1], timelines.Select(c => c.Remaining));   // the planning guess: closing events, requests, one more
        var labels = Assert.Single(outcome.NewCheckpoints, c => c.Kind == FetchKind.Labels);
        Assert.Equal(("PR_a", 2L), (labels.ParentNodeId, labels.Remaining));
    }

    [Fact]
    public void Read_TimelinePage_RemainingFromFilteredCount()
    {
        using var response = Answer("""
            {"data":{"u0":{"id":"PR_3","timelineItems":{"filteredCount":150,"pageInfo":{"hasNextPage":true,"endCursor":"e"},
              "nodes":[{"__typename":"ClosedEvent","id":"CE_1","createdAt":"2026-01-01T00:00:00Z"}]}},"rateLimit":{"cost":1}}}
            """);

        var advance = Assert.Single(PageReader.Read(response, [new FetchUnit("u0", Cp(3, 7, FetchKind.TimelineEvents), 100)]).Advances);

        Assert.False(advance.Done);
        Assert.Equal("e", advance.Cursor);
        Assert.Equal(149, advance.Remaining);
    }
}
