namespace Pulse.Core.Storage;

// The relational rows of a PR, one type per entity: the transform writes them and the API reads them back.
// Parent links travel as GitHub node ids; the store resolves them to its own keys inside the transaction that writes the rows.

public sealed record RepositoryRow(
    string NodeId, long? DatabaseId, string Owner, string Name, string? Description, bool IsPrivate, bool IsArchived, bool IsFork,
    string? DefaultBranch, string? Language, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, DateTimeOffset? PushedAt);

public sealed record PullRequestRow(
    long RepositoryId, string NodeId, long? DatabaseId, int Number, string Title, string? Body, string? Url,
    string State, bool IsDraft, string? AuthorLogin, string? AuthorType, string? MergedByLogin,
    string? BaseRefName, string? HeadRefName, string? BaseRefOid, string? HeadRefOid,
    int Additions, int Deletions, int ChangedFiles,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt, DateTimeOffset? MergedAt,
    int CommitsTotal, int ReviewsTotal, int CommentsTotal, int ReviewThreadsTotal, string ContentHash);

public sealed record CommitRow(
    string PullRequestNodeId, string Oid, string Message, string? AuthorName, string? AuthorEmail, string? AuthorLogin,
    string? CommitterName, string? CommitterEmail, string? CommitterLogin,
    DateTimeOffset? AuthoredDate, DateTimeOffset? CommittedDate, int? Additions, int? Deletions, string ContentHash);

public sealed record ReviewRow(
    string PullRequestNodeId, string NodeId, long? DatabaseId, string? AuthorLogin, string? AuthorType, string State,
    string Body, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? UpdatedAt, string? CommitOid, string ContentHash);

public sealed record ReviewThreadRow(
    string PullRequestNodeId, string NodeId, bool IsResolved, bool IsOutdated, bool IsCollapsed, string? Path,
    int? Line, int? StartLine, string? DiffSide, string? ResolvedByLogin);

public sealed record CommentRow(
    string PullRequestNodeId, string NodeId, long? DatabaseId, string CommentType, string? ThreadNodeId, string? ReviewNodeId,
    string? AuthorLogin, string? AuthorType, string Body, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt,
    string? Path, int? Line, int? OriginalLine, string? DiffHunk, string? ReplyToNodeId, string ContentHash);

public static class CommentTypes
{
    public const string Issue = "issue";
    public const string Review = "review";
}

/// <summary>
/// One lifecycle event of a PR's timeline (issue 13). <see cref="RequestedReviewer"/> is a login, or a team's slug
/// (<see cref="RequestedReviewerType"/> "Team"); null for a deleted account. Commits are a force push's before and after heads.
/// </summary>
public sealed record TimelineEventRow(
    string PullRequestNodeId, string NodeId, string EventType, string? ActorLogin, string? ActorType,
    string? RequestedReviewer, string? RequestedReviewerType, string? BeforeCommitOid, string? AfterCommitOid, DateTimeOffset CreatedAt);

public sealed record LabelRow(string PullRequestNodeId, string NodeId, string Name);
