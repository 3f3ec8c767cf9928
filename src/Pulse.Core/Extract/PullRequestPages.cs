namespace Pulse.Core.Extract;

/// <summary>
/// The connections of a PR asked by node id (a webhook's targeted refresh), each asked for its first page inside the same
/// query: one round answers what took three (the PR, then its connections, then their next pages). A page is aliased
/// because PullRequestFields already asks the field for its totalCount, and one field may not be asked with two sets of
/// arguments. Only a connection whose first page was not all of it gets a checkpoint of its own.
/// </summary>
public static class PullRequestPages
{
    public static readonly IReadOnlyList<FetchKind> Kinds =
        [FetchKind.Commits, FetchKind.Reviews, FetchKind.IssueComments, FetchKind.ReviewThreads, FetchKind.Labels, FetchKind.TimelineEvents];

    /// <summary>The alias a connection's page has inside a node (null: the field's own name, nothing else asks it).</summary>
    public static string? Alias(FetchKind kind) => kind switch
    {
        FetchKind.Commits => "commitPage",
        FetchKind.Reviews => "reviewPage",
        FetchKind.IssueComments => "commentPage",
        FetchKind.ReviewThreads => "threadPage",
        FetchKind.Labels => "labelPage",
        _ => null,
    };

    /// <summary>GitHub's request count of a PR asked with its pages: one per connection paged (its one possible parent).</summary>
    public static long Requests => Kinds.Count;
}
