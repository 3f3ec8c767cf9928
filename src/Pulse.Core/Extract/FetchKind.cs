using Pulse.Core.Jobs;

namespace Pulse.Core.Extract;

/// <summary>What one checkpoint pages through. Each kind belongs to one step of the job.</summary>
public enum FetchKind
{
    /// <summary>A repository's most recently updated PR: the cheap "anything new?" probe of an incremental run.</summary>
    RepositoryHead,
    /// <summary>A repository's pull requests, newest update first, with the totalCount of every nested connection.</summary>
    PullRequests,
    Commits,
    Reviews,
    IssueComments,
    /// <summary>A PR's review threads, each with its first page of comments.</summary>
    ReviewThreads,
    /// <summary>Further comments of one review thread.</summary>
    ThreadComments,
    /// <summary>One pull request asked by its node id, with the totalCount of every nested connection: a webhook's targeted refresh.</summary>
    PullRequest,
}

public static class FetchKinds
{
    public static PipelineStep StepOf(FetchKind kind) => kind switch
    {
        FetchKind.RepositoryHead or FetchKind.PullRequests or FetchKind.PullRequest => GitHubPrJob.PullRequests,
        FetchKind.Commits => GitHubPrJob.Commits,
        FetchKind.Reviews => GitHubPrJob.Reviews,
        FetchKind.IssueComments or FetchKind.ReviewThreads or FetchKind.ThreadComments => GitHubPrJob.Comments,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Name(FetchKind kind) => kind switch
    {
        FetchKind.RepositoryHead => "repository_head",
        FetchKind.PullRequests => "pull_requests",
        FetchKind.Commits => "commits",
        FetchKind.Reviews => "reviews",
        FetchKind.IssueComments => "issue_comments",
        FetchKind.ReviewThreads => "review_threads",
        FetchKind.ThreadComments => "thread_comments",
        FetchKind.PullRequest => "pull_request",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static readonly Dictionary<string, FetchKind> ByName =
        Enum.GetValues<FetchKind>().ToDictionary(Name);

    public static FetchKind Parse(string name) =>
        ByName.TryGetValue(name, out var kind) ? kind : throw new ArgumentException($"Unknown fetch kind '{name}'.", nameof(name));
}
