using Pulse.Core.Extract;

namespace Pulse.Core.Metrics;

/// <summary>
/// The PR flow metrics of issue 13, from one PR's activity alone: draft-aware (time in draft is neither coding nor waiting
/// for review), bot-free and self-free (only reviews and review comments by someone other than the author, not a bot and
/// not a deleted account count as review). Pure: no clock, no storage.
/// </summary>
public static class PrMetricsCalculator
{
    public static PrMetrics Compute(PrActivity pr, BotRule bots)
    {
        // Timeline order: by time, ties in the order GitHub listed them (a stable sort).
        var events = pr.Events.OrderBy(e => e.At).ToList();
        var openedAsDraft = OpenedAsDraft(pr, events);
        var readyAt = openedAsDraft ? events.FirstOrDefault(e => e.Type == TimelineEventTypes.ReadyForReview)?.At : pr.CreatedAt;
        var firstCommitAt = pr.CommitAuthoredDates.Where(d => d is not null).Min();
        var qualifyingReviews = pr.Reviews.Where(r => Submitted(r) && Qualifies(pr, r.AuthorLogin, r.AuthorType, bots)).ToList();
        var firstReviewAt = qualifyingReviews.Select(r => r.SubmittedAt)
            .Concat(pr.ReviewComments.Where(c => Qualifies(pr, c.AuthorLogin, c.AuthorType, bots)).Select(c => (DateTimeOffset?)c.CreatedAt))
            .Min();
        var merged = pr.State == "MERGED" ? pr.MergedAt : null;

        return new PrMetrics(
            openedAsDraft,
            readyAt,
            readyAt is null ? null : DraftSeconds(pr, events, openedAsDraft),
            firstCommitAt,
            firstReviewAt,
            AtLeastZero(Seconds(firstCommitAt, readyAt)),
            AtLeastZero(Seconds(readyAt, firstReviewAt)),
            merged is not null && firstReviewAt < merged ? Seconds(firstReviewAt, merged) : null,
            merged is null ? null : Seconds(Earliest(firstCommitAt, pr.CreatedAt), merged),
            Seconds(readyAt, merged),
            events.Count(e => e.Type == TimelineEventTypes.ReviewRequested),
            qualifyingReviews.Select(r => r.AuthorLogin!).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            qualifyingReviews.Count(r => r.State == "APPROVED"),
            qualifyingReviews.Count(r => r.State == "CHANGES_REQUESTED"),
            firstReviewAt is null ? null : pr.CommitAuthoredDates.Count(d => d > firstReviewAt),
            events.Count(e => e.Type == TimelineEventTypes.HeadRefForcePushed),
            pr.Additions + pr.Deletions,
            pr.ChangedFiles,
            bots.IsBot(pr.AuthorLogin, pr.AuthorType));
    }

    /// <summary>The first draft event is a ReadyForReviewEvent, or there is none and the PR is a draft now.</summary>
    private static bool OpenedAsDraft(PrActivity pr, List<PrEvent> events) =>
        events.FirstOrDefault(IsDraftEvent) is { } first ? first.Type == TimelineEventTypes.ReadyForReview : pr.IsDraft;

    /// <summary>Completed draft intervals: from createdAt (opened as draft) or a ConvertToDraftEvent to the next ReadyForReviewEvent.</summary>
    private static long DraftSeconds(PrActivity pr, List<PrEvent> events, bool openedAsDraft)
    {
        long total = 0;
        DateTimeOffset? since = openedAsDraft ? pr.CreatedAt : null;
        foreach (var e in events.Where(IsDraftEvent))
        {
            if (e.Type == TimelineEventTypes.ConvertToDraft) since ??= e.At;
            else if (since is { } start)
            {
                total += Seconds(start, e.At)!.Value;
                since = null;
            }
        }
        return total;
    }

    private static bool IsDraftEvent(PrEvent e) => e.Type is TimelineEventTypes.ReadyForReview or TimelineEventTypes.ConvertToDraft;

    private static bool Submitted(PrReview r) => r.SubmittedAt is not null && r.State != "PENDING";

    /// <summary>A review counts when its author is known, not a bot and not the PR's author.</summary>
    private static bool Qualifies(PrActivity pr, string? login, string? type, BotRule bots) =>
        login is not null && !bots.IsBot(login, type) && !string.Equals(login, pr.AuthorLogin, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whole seconds from <paramref name="from"/> to <paramref name="to"/>, or null when either is missing.</summary>
    public static long? Seconds(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t ? (long)Math.Floor((t - f).TotalSeconds) : null;

    private static long? AtLeastZero(long? seconds) => seconds is { } s ? Math.Max(0, s) : null;

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
