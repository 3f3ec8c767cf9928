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
    /// <summary>A PR's lifecycle events (<see cref="TimelineEventTypes"/>), with the PR's own fields.</summary>
    TimelineEvents,
    /// <summary>A PR's labels, with the PR's own fields.</summary>
    Labels,
    /// <summary>One pull request asked by its node id, with the totalCount of every nested connection: a webhook's targeted refresh.</summary>
    PullRequest,
    /// <summary>
    /// A PR's commits before a cursor, paged backwards: the middle that a refresh's first page and tail of a PR held with more
    /// than two pages of commits left (<see cref="PullRequestPages"/>); its remaining count is the size of that middle.
    /// </summary>
    CommitsBefore,
}

public static class FetchKinds
{
    public static PipelineStep StepOf(FetchKind kind) => kind switch
    {
        FetchKind.RepositoryHead or FetchKind.PullRequests or FetchKind.TimelineEvents or FetchKind.Labels or FetchKind.PullRequest => GitHubPrJob.PullRequests,
        FetchKind.Commits or FetchKind.CommitsBefore => GitHubPrJob.Commits,
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
        FetchKind.TimelineEvents => "timeline_events",
        FetchKind.Labels => "labels",
        FetchKind.PullRequest => "pull_request",
        FetchKind.CommitsBefore => "commits_before",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static readonly Dictionary<string, FetchKind> ByName =
        Enum.GetValues<FetchKind>().ToDictionary(Name);

    /// <summary>
    /// Kinds of the PR step whose pages carry the PR's own fields too: the step's transform items run side by side, so a PR's
    /// events may be written before its listing page is, and their rows need the PR row.
    /// </summary>
    public static bool CarriesPullRequest(FetchKind kind) => kind is FetchKind.TimelineEvents or FetchKind.Labels;

    public static FetchKind Parse(string name) =>
        ByName.TryGetValue(name, out var kind) ? kind : throw new ArgumentException($"Unknown fetch kind '{name}'.", nameof(name));
}
