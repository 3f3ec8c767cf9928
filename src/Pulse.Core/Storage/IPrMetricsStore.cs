using Pulse.Core.Metrics;

namespace Pulse.Core.Storage;

/// <summary>
/// The PR flow metrics (<c>pr_metrics</c>) as the API and CLI read them, always within one tenant. A run's sweep keeps them
/// fresh for the PRs it touched; <see cref="RecomputeAsync"/> redoes an integration's after its bot list changed.
/// </summary>
public interface IPrMetricsStore
{
    /// <summary>Per-PR metrics matching the query, oldest first (by the period's field, then repository and number).</summary>
    Task<IReadOnlyList<PrMetricsRecord>> ListAsync(PrMetricsQuery query, CancellationToken ct);

    /// <summary>Open PRs that are ready (not draft, with a ready time) and have no first review, oldest ready first.</summary>
    Task<IReadOnlyList<WaitingPr>> WaitingAsync(long tenantId, string? repository, CancellationToken ct);

    /// <summary>Recomputes the metrics of every PR of the integration; the number of PRs.</summary>
    Task<int> RecomputeAsync(long tenantId, long integrationId, CancellationToken ct);
}

/// <summary>Which timestamp a metrics period filters on.</summary>
public enum MetricsPeriodField
{
    Merged,
    Ready,
}

/// <summary>Filters of the per-PR metrics; a null filter takes all. From is inclusive, To exclusive.</summary>
public sealed record PrMetricsQuery(
    long TenantId, string? Repository = null, string? Author = null, string? State = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    MetricsPeriodField On = MetricsPeriodField.Merged);

/// <summary>A PR with its metrics: <see cref="Repository"/> is owner/name.</summary>
public sealed record PrMetricsRecord(
    long PullRequestId, string Repository, int Number, string Title, string? Url, string? Author, string State, bool IsDraft,
    DateTimeOffset CreatedAt, DateTimeOffset? MergedAt, PrMetrics Metrics);

/// <summary>A PR waiting for its first review, with whom it asks (logins, or team slugs).</summary>
public sealed record WaitingPr(string Repository, int Number, string Title, string? Url, DateTimeOffset ReadyAt, IReadOnlyList<string> RequestedReviewers);
