namespace Pulse.Core.Metrics;

/// <summary>
/// What a PR's metrics are computed from: the PR's own fields, its lifecycle events (in timeline order), its commits'
/// authored dates, its reviews and its review comments. Logins are GraphQL's; a null login is a deleted account.
/// </summary>
public sealed record PrActivity(
    string? AuthorLogin,
    string? AuthorType,
    bool IsDraft,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? MergedAt,
    long Additions,
    long Deletions,
    long ChangedFiles,
    IReadOnlyList<PrEvent> Events,
    IReadOnlyList<DateTimeOffset?> CommitAuthoredDates,
    IReadOnlyList<PrReview> Reviews,
    IReadOnlyList<PrReviewComment> ReviewComments);

/// <summary>A lifecycle event: its item type (<see cref="Extract.TimelineEventTypes"/>) and time.</summary>
public sealed record PrEvent(string Type, DateTimeOffset At);

/// <summary>A review: submitted when it has a submittedAt and is not PENDING.</summary>
public sealed record PrReview(string? AuthorLogin, string? AuthorType, string State, DateTimeOffset? SubmittedAt);

public sealed record PrReviewComment(string? AuthorLogin, string? AuthorType, DateTimeOffset CreatedAt);
