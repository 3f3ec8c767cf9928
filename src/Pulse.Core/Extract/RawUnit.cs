namespace Pulse.Core.Extract;

/// <summary>
/// What one alias of a stored answer holds, kept beside the raw payload so the transform can
/// read the answer without the query: its kind, repository, parent and the incremental cut-off.
/// </summary>
public sealed record RawUnit(
    string Alias,
    FetchKind Kind,
    long RepositoryId,
    string ParentNodeId,
    string? PullRequestNodeId,
    DateTimeOffset? Since,
    /// <summary>False when GitHub returned an error for this alias: the transform skips it, the checkpoint retries.</summary>
    bool Ok)
{
    /// <summary>
    /// The PR's commits are unchanged since Pulse fetched them (<see cref="HeldCommits"/>): none were asked, and the transform keeps
    /// the rows Pulse holds, marked as seen by this run, so the run's sweep does not take them for gone.
    /// </summary>
    public bool Kept { get; init; }
}
