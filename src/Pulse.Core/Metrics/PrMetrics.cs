namespace Pulse.Core.Metrics;

/// <summary>
/// One PR's flow metrics (table <c>pr_metrics</c>, issue 13). Durations are whole seconds; a value whose inputs are
/// missing is null, never 0. The definitions are <see cref="PrMetricsCalculator"/>'s and README's "PR flow metrics".
/// </summary>
public sealed record PrMetrics(
    bool OpenedAsDraft,
    DateTimeOffset? ReadyAt,
    long? DraftSeconds,
    DateTimeOffset? FirstCommitAt,
    DateTimeOffset? FirstReviewAt,
    long? CodingSeconds,
    long? PickupSeconds,
    long? ReviewSeconds,
    long? CycleSeconds,
    long? TimeToMergeSeconds,
    long ReviewRequests,
    long Reviewers,
    long Approvals,
    long ChangesRequested,
    long? ReworkCommits,
    long ForcePushes,
    long Size,
    long ChangedFiles,
    bool AuthorIsBot);
