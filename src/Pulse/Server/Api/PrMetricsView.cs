using Pulse.Core.Metrics;
using Pulse.Core.Storage;

namespace Pulse.Server.Api;

/// <summary>
/// One PR's metrics as <c>GET /api/metrics/prs</c> and <c>pulse metrics prs --format json</c> give them (snake_case on the wire):
/// the PR's identity, then every field of <c>pr_metrics</c>. Times are UTC ("…Z"), durations whole seconds or null.
/// </summary>
public sealed record PrMetricsView(
    string Repository, int Number, string Title, string? Url, string? Author, string State, DateTime CreatedAt, DateTime? MergedAt,
    bool OpenedAsDraft, DateTime? ReadyAt, long? DraftSeconds, DateTime? FirstCommitAt, DateTime? FirstReviewAt, long? CodingSeconds,
    long? PickupSeconds, long? ReviewSeconds, long? CycleSeconds, long? TimeToMergeSeconds, long ReviewRequests, long Reviewers, long Approvals,
    long ChangesRequested, long? ReworkCommits, long ForcePushes, long Size, long ChangedFiles, bool AuthorIsBot)
{
    public static PrMetricsView Of(PrMetricsRecord r)
    {
        var m = r.Metrics;
        return new(r.Repository, r.Number, r.Title, r.Url, r.Author, r.State, r.CreatedAt.UtcDateTime, r.MergedAt?.UtcDateTime,
            m.OpenedAsDraft, m.ReadyAt?.UtcDateTime, m.DraftSeconds, m.FirstCommitAt?.UtcDateTime, m.FirstReviewAt?.UtcDateTime, m.CodingSeconds,
            m.PickupSeconds, m.ReviewSeconds, m.CycleSeconds, m.TimeToMergeSeconds, m.ReviewRequests, m.Reviewers, m.Approvals, m.ChangesRequested,
            m.ReworkCommits, m.ForcePushes, m.Size, m.ChangedFiles, m.AuthorIsBot);
    }
}

/// <summary>The summary as <c>GET /api/metrics/summary</c> gives it (times UTC "…Z").</summary>
public sealed record SummaryView(string By, IReadOnlyList<SummaryGroup> Groups, IReadOnlyList<WaitingPrView> Waiting)
{
    public static SummaryView Of(MetricsSummaryResult s) => new(s.By, s.Groups,
        [.. s.Waiting.Select(w => new WaitingPrView(w.Repository, w.Number, w.Title, w.Url, w.ReadyAt.UtcDateTime, w.AgeSeconds, w.RequestedReviewers))]);
}

public sealed record WaitingPrView(string Repository, int Number, string Title, string? Url, DateTime ReadyAt, long AgeSeconds, IReadOnlyList<string> RequestedReviewers);
