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
    string RepositoryName)
{
    /// <summary>For a PR asked by node id: the commits Pulse held of it (<see cref="Extract.HeldCommits"/>), else null.</summary>
    public HeldCommits? HeldCommits { get; init; }
}

/// <summary>
/// What Pulse held of a PR's commits when a refresh asked for the PR by node id: the head commit they end at and how many there
/// are, known only when Pulse held every one of them. GitHub answering with the same head and count means the same commits (an
/// oid fixes a commit's content and its ancestors), so they are kept as they are instead of asked again.
/// </summary>
public sealed record HeldCommits(string HeadOid, long Count);
