namespace Pulse.Core.Extract;

/// <summary>
/// A cursor per (run, repository, connection, parent): the next page to fetch. It advances in
/// the same transaction that stores the page it came from, so a crash loses at most the page in
/// flight and a restart fetches nothing twice.
/// </summary>
public sealed record Checkpoint(
    long Id,
    long RunId,
    long TenantId,
    long RepositoryId,
    FetchKind Kind,
    /// <summary>Repository node id for listings, PR node id for PR connections, thread node id for thread comments.</summary>
    string ParentNodeId,
    /// <summary>The PR the items belong to (null for repository-level kinds).</summary>
    string? PullRequestNodeId,
    string? Cursor,
    /// <summary>Items GitHub reported (totalCount) minus items fetched so far; a sizing hint, not a stop condition.</summary>
    long Remaining,
    int Attempts,
    /// <summary>The widest page this checkpoint may ask for; halved when a page of it timed out alone.</summary>
    int PageSize,
    /// <summary>Stop listing at the first PR updated before this (incremental runs).</summary>
    DateTimeOffset? Since,
    string RepositoryOwner,
    string RepositoryName);
