using System.Text.Json;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;

namespace Pulse.Core.Tests.Extract;

/// <summary>How an answer with GitHub's NOT_FOUND moves the checkpoints (issue 6: a repository deleted mid-run).</summary>
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
}
