namespace Pulse.Core.Storage;

public sealed record Tenant(long Id, string Name);

/// <summary>An API key as stored: only its SHA-256 hash and a short prefix to recognise it by.</summary>
public sealed record ApiKeyRecord(long Id, long TenantId, string Name, string Prefix, DateTimeOffset CreatedAt);

/// <summary>A GitHub integration. The token is never here in clear: only its protected form, which the API never shows.</summary>
public sealed record Integration(
    long Id,
    long TenantId,
    string Provider,
    Uri GraphQLUrl,
    string Owner,
    string ProtectedToken,
    IntegrationSettings Settings,
    bool Active,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether a webhook signing secret is set; the secret itself is write-only.</summary>
    public bool HasWebhookSecret { get; init; }
}

/// <summary>A change to an integration; null fields stay as they are.</summary>
public sealed record IntegrationChange(Uri? GraphQLUrl, string? Owner, string? ProtectedToken, IntegrationSettings? Settings)
{
    /// <summary>The protected webhook secret to set; "" removes it (webhooks then get 401), null leaves it.</summary>
    public string? ProtectedWebhookSecret { get; init; }
}

/// <summary>Per-integration settings: which repositories to take and how far back the first sync goes.</summary>
public sealed record IntegrationSettings
{
    /// <summary>Repository names to take; empty takes all. An entry ending in '*' is a prefix.</summary>
    public IReadOnlyList<string> RepositoryFilters { get; init; } = [];

    /// <summary>Pull requests per listing page, 1..100. Default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>How far back a first sync goes; null = the whole history.</summary>
    public TimeSpan? FirstSyncWindow { get; init; }

    /// <summary>Logins counted as bots besides GitHub's Bot accounts and logins ending in [bot] (case-insensitive); default none.</summary>
    public IReadOnlyList<string> BotLogins { get; init; } = [];

    public bool Includes(string repositoryName) =>
        RepositoryFilters.Count == 0 || RepositoryFilters.Any(f => f.EndsWith('*')
            ? repositoryName.StartsWith(f[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(repositoryName, f, StringComparison.OrdinalIgnoreCase));
}

public sealed record RepositoryRef(long Id, string NodeId, string Owner, string Name);

/// <summary>A repository with how many pull requests Pulse holds for it.</summary>
public sealed record RepositorySummary(
    long Id, long IntegrationId, string NodeId, string FullName, string? Description, string? DefaultBranch, string? Language,
    bool IsPrivate, bool IsArchived, bool IsFork, bool Active, DateTimeOffset? PushedAt, long PullRequests);

public sealed record JobRecord(
    long Id,
    long TenantId,
    long IntegrationId,
    string JobName,
    string Overall,
    bool Active,
    TimeSpan ScheduleInterval,
    TimeSpan RetryInterval,
    DateTimeOffset? LastSyncDate,
    DateTimeOffset? LastRunStartedAt,
    DateTimeOffset? LastRunFinishedAt,
    DateTimeOffset? NextRun,
    string? Error,
    int RetryCount,
    long? CurrentRunId);

public sealed record RunRecord(
    long Id,
    long TenantId,
    long JobId,
    long IntegrationId,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? Since,
    bool EmbeddingsEnabled,
    string? Error);

/// <summary>One past or current run of a job, with what it cost.</summary>
public sealed record RunSummary(
    long Id, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? Since, bool EmbeddingsEnabled, string? Error,
    long Points, long Requests, long Pages);

/// <summary>Filters and paging of the pull request list.</summary>
public sealed record PullRequestQuery(long TenantId, string? Repository, string? State, string? Author, DateTimeOffset? UpdatedSince, int Page, int PageSize);

/// <summary>A PR as the list shows it: its repository's name and the counts GitHub reported.</summary>
public sealed record PullRequestSummary(
    long Id, string Repository, int Number, string Title, string State, bool IsDraft, string? Author, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? MergedAt, DateTimeOffset? ClosedAt, long Additions, long Deletions, long CommitCount,
    long ReviewCount, long CommentCount);

public sealed record PullRequestPage(IReadOnlyList<PullRequestSummary> Items, long Total, int Page, int PageSize);

/// <summary>A PR with its derived metrics and its children, each child as the row the transform wrote.</summary>
public sealed record PullRequestDetail(
    PullRequestSummary Summary, string? Body, string? Url, string? BaseRef, string? HeadRef, string? MergedBy, DateTimeOffset? FirstReviewAt,
    long? ReviewCycles, long? ReworkCommits, IReadOnlyList<CommitRow> Commits, IReadOnlyList<ReviewRow> Reviews,
    IReadOnlyList<ReviewThreadRow> Threads, IReadOnlyList<CommentRow> Comments)
{
    /// <summary>The PR's lifecycle events (issue 13), oldest first.</summary>
    public IReadOnlyList<TimelineEventRow> Events { get; init; } = [];

    /// <summary>The PR's labels, by name.</summary>
    public IReadOnlyList<LabelRow> Labels { get; init; } = [];
}
