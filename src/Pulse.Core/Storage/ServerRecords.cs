namespace Pulse.Core.Storage;

/// <summary>An API key as stored: only its SHA-256 hash and a short prefix to recognise it by.</summary>
public sealed record ApiKeyRecord(long Id, long TenantId, string Name, string Prefix, DateTimeOffset CreatedAt);

/// <summary>An integration as the API shows it (the token never leaves the store, not even protected).</summary>
public sealed record IntegrationSummary(
    long Id, long TenantId, string Provider, Uri GraphQLUrl, string Owner, IntegrationSettings Settings, bool Active,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A change to an integration; null fields stay as they are.</summary>
public sealed record IntegrationChange(Uri? GraphQLUrl, string? Owner, string? ProtectedToken, IntegrationSettings? Settings);

/// <summary>One past or current run of a job.</summary>
public sealed record RunSummary(
    long Id, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? Since, bool EmbeddingsEnabled, string? Error,
    long Points, long Requests, long Pages);

/// <summary>A repository with how many pull requests Pulse holds for it.</summary>
public sealed record RepositorySummary(
    long Id, long IntegrationId, string NodeId, string FullName, string? Description, string? DefaultBranch, string? Language,
    bool IsPrivate, bool IsArchived, bool IsFork, bool Active, DateTimeOffset? PushedAt, long PullRequests);

/// <summary>Filters and paging of the pull request list.</summary>
public sealed record PullRequestQuery(long TenantId, string? Repository, string? State, string? Author, DateTimeOffset? UpdatedSince, int Page, int PageSize);

public sealed record PullRequestSummary(
    long Id, string Repository, int Number, string Title, string State, bool IsDraft, string? Author, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? MergedAt, DateTimeOffset? ClosedAt, long Additions, long Deletions, long CommitCount,
    long ReviewCount, long CommentCount);

public sealed record PullRequestPage(IReadOnlyList<PullRequestSummary> Items, long Total, int Page, int PageSize);

public sealed record PullRequestDetail(
    PullRequestSummary Summary, string? Body, string? Url, string? BaseRef, string? HeadRef, string? MergedBy, DateTimeOffset? FirstReviewAt,
    long? ReviewCycles, long? ReworkCommits, IReadOnlyList<CommitRow> Commits, IReadOnlyList<ReviewRow> Reviews,
    IReadOnlyList<ThreadRow> Threads, IReadOnlyList<CommentRow> Comments);

public sealed record CommitRow(string Oid, string Message, string? Author, DateTimeOffset? CommittedDate, long? Additions, long? Deletions);

public sealed record ReviewRow(long Id, string NodeId, string? Author, string State, string Body, DateTimeOffset? SubmittedAt);

public sealed record ThreadRow(long Id, string NodeId, bool IsResolved, bool IsOutdated, string? Path, long? Line);

public sealed record CommentRow(
    long Id, string NodeId, string Type, long? ThreadId, long? ReviewId, string? Author, string Body, DateTimeOffset CreatedAt, string? Path,
    long? Line, string? ReplyTo);
