namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// How long GitHub would work on a query, calibrated on public reports (LIMITS.md): a page of 100
/// PRs with four full nested connections of 100 must pass the 10-second timeout, 10 such PRs must not.
/// Only identifiable rows count (objects with an id, pull requests, commits); embedded values such as an
/// author or a commit's git actor are part of their row and free.
/// </summary>
internal sealed record ProcessingModel
{
    public static readonly ProcessingModel GitHub = new();

    /// <summary>Fixed cost of any query. Default 20 ms.</summary>
    public TimeSpan Base { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Per PullRequest resolved. Default 4 ms.</summary>
    public TimeSpan PerPullRequest { get; init; } = TimeSpan.FromMilliseconds(4);

    /// <summary>Per PullRequestCommit or standalone Commit (a commit inside a PullRequestCommit is the same row). Default 3 ms.</summary>
    public TimeSpan PerCommit { get; init; } = TimeSpan.FromMilliseconds(3);

    /// <summary>Per other row (review, comment, thread, label, repository...). Default 1 ms.</summary>
    public TimeSpan PerOtherRow { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Per 10 KB (10,240 bytes) of response body. Default 0.5 ms.</summary>
    public TimeSpan Per10KiBWritten { get; init; } = TimeSpan.FromMilliseconds(0.5);

    public TimeSpan Estimate(long pullRequests, long commits, long otherRows, long bytes) =>
        Base + PerPullRequest * pullRequests + PerCommit * commits + PerOtherRow * otherRows + Per10KiBWritten * (bytes / 10240.0);
}
