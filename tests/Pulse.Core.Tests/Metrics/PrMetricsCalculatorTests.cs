using Pulse.Core.Extract;
using Pulse.Core.Metrics;

namespace Pulse.Core.Tests.Metrics;

/// <summary>Each definition of issue 13, item 3, at its edges.</summary>
public sealed class PrMetricsCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset H(double hours) => T0.AddHours(hours);

    private static PrActivity Pr(string state = "OPEN", bool isDraft = false, DateTimeOffset? merged = null, string? author = "alice", string? authorType = "User",
        PrEvent[]? events = null, DateTimeOffset?[]? commits = null, PrReview[]? reviews = null, PrReviewComment[]? comments = null) =>
        new(author, authorType, isDraft, state, T0, merged, 10, 5, 3, events ?? [], commits ?? [], reviews ?? [], comments ?? []);

    private static PrEvent Ready(double h) => new(TimelineEventTypes.ReadyForReview, H(h));
    private static PrEvent Draft(double h) => new(TimelineEventTypes.ConvertToDraft, H(h));
    private static PrReview Review(string? login, double h, string state = "COMMENTED", string type = "User") => new(login, type, state, H(h));

    private static PrMetrics Compute(PrActivity pr, params string[] bots) => PrMetricsCalculator.Compute(pr, new BotRule(bots));

    [Fact]
    public void Compute_OpenedReadyWithoutEvents_ReadyAtCreationNoDraftTime()
    {
        var m = Compute(Pr());

        Assert.False(m.OpenedAsDraft);
        Assert.Equal(T0, m.ReadyAt);
        Assert.Equal(0, m.DraftSeconds);
    }

    [Fact]
    public void Compute_DraftWithoutEvents_OpenedAsDraftNeverReadyNulls()
    {
        var m = Compute(Pr(isDraft: true, commits: [H(-2)]));

        Assert.True(m.OpenedAsDraft);
        Assert.Null(m.ReadyAt);
        Assert.Null(m.DraftSeconds);
        Assert.Null(m.CodingSeconds);
    }

    [Fact]
    public void Compute_FirstDraftEventIsReady_OpenedAsDraftAndReadyAtThatEvent()
    {
        var m = Compute(Pr(events: [Ready(2), Draft(3), Ready(5)]));

        Assert.True(m.OpenedAsDraft);
        Assert.Equal(H(2), m.ReadyAt);
        Assert.Equal((2 + 2) * 3600, m.DraftSeconds);   // created→ready, then converted→ready again
    }

    [Fact]
    public void Compute_FirstDraftEventIsConvert_OpenedReadyAndOpenIntervalNotCounted()
    {
        // isDraft now, but the first draft event is a return to draft: it was opened ready.
        var m = Compute(Pr(isDraft: true, events: [Draft(1), Ready(2), Draft(4)]));

        Assert.False(m.OpenedAsDraft);
        Assert.Equal(T0, m.ReadyAt);
        Assert.Equal(3600, m.DraftSeconds);
    }

    [Fact]
    public void Compute_EventsOutOfOrder_ReadInTimelineOrder()
    {
        var m = Compute(Pr(events: [Ready(5), Draft(3), Ready(2)]));

        Assert.True(m.OpenedAsDraft);
        Assert.Equal(H(2), m.ReadyAt);
    }

    [Fact]
    public void Compute_FirstReview_IgnoresBotsGhostsSelfPendingAndUnsubmitted()
    {
        var m = Compute(Pr(reviews:
        [
            Review("alice", 1), Review(null, 1.5), Review("renovate", 1.6, type: "Bot"), Review("ci[bot]", 1.7), Review("svc-account", 1.8),
            new PrReview("bob", "User", "PENDING", H(1.9)), new PrReview("bob", "User", "COMMENTED", null), Review("carol", 3),
        ]), "SVC-ACCOUNT");

        Assert.Equal(H(3), m.FirstReviewAt);
        Assert.Equal(1, m.Reviewers);
    }

    [Fact]
    public void Compute_ReviewCommentBeforeReview_CountsAsFirstReview()
    {
        var m = Compute(Pr(reviews: [Review("bob", 4)], comments: [new PrReviewComment("carol", "User", H(2)), new PrReviewComment("ALICE", "User", H(1))]));

        Assert.Equal(H(2), m.FirstReviewAt);   // the author's own comment (any case) does not count
        Assert.Equal(2 * 3600, m.PickupSeconds);
        Assert.Equal(1, m.Reviewers);          // comments are not reviews
    }

    [Fact]
    public void Compute_CodingAndPickup_ClampedAtZero()
    {
        // A commit authored after the PR was ready, and a review comment before it was ready (during draft).
        var m = Compute(Pr(events: [Ready(5)], commits: [H(6)], comments: [new PrReviewComment("bob", "User", H(4))]));

        Assert.Equal(0, m.CodingSeconds);
        Assert.Equal(0, m.PickupSeconds);
    }

    [Fact]
    public void Compute_MergedWithReviewBeforeMerge_AllDurations()
    {
        var m = Compute(Pr(state: "MERGED", merged: H(10), events: [Ready(1)], commits: [H(-3), H(-1), H(7)],
            reviews: [Review("bob", 4, "CHANGES_REQUESTED"), Review("bob", 8, "APPROVED"), Review("carol", 9, "APPROVED")]));

        Assert.Equal(4 * 3600, m.CodingSeconds);          // ready 1 - first commit -3
        Assert.Equal(3 * 3600, m.PickupSeconds);          // review 4 - ready 1
        Assert.Equal(6 * 3600, m.ReviewSeconds);          // merged 10 - review 4
        Assert.Equal(13 * 3600, m.CycleSeconds);          // merged 10 - first commit -3
        Assert.Equal(9 * 3600, m.TimeToMergeSeconds);     // merged 10 - ready 1
        Assert.Equal(2, m.Reviewers);
        Assert.Equal(2, m.Approvals);
        Assert.Equal(1, m.ChangesRequested);
        Assert.Equal(1, m.ReworkCommits);                 // the commit at 7, after the review at 4
    }

    [Fact]
    public void Compute_MergedWithoutReview_ReviewNullCycleFromCreation()
    {
        var m = Compute(Pr(state: "MERGED", merged: H(10)));

        Assert.Null(m.FirstReviewAt);
        Assert.Null(m.ReviewSeconds);
        Assert.Null(m.PickupSeconds);
        Assert.Null(m.ReworkCommits);
        Assert.Equal(10 * 3600, m.CycleSeconds);   // no commits: from createdAt
        Assert.Null(m.CodingSeconds);
        Assert.Null(m.FirstCommitAt);
    }

    [Fact]
    public void Compute_FirstReviewAfterMerge_ReviewSecondsNull()
    {
        var m = Compute(Pr(state: "MERGED", merged: H(5), reviews: [Review("bob", 6, "APPROVED")]));

        Assert.Equal(H(6), m.FirstReviewAt);
        Assert.Null(m.ReviewSeconds);
    }

    [Fact]
    public void Compute_NotMerged_MergeDurationsNull()
    {
        var m = Compute(Pr(state: "CLOSED", merged: null, reviews: [Review("bob", 2)]));

        Assert.Null(m.ReviewSeconds);
        Assert.Null(m.CycleSeconds);
        Assert.Null(m.TimeToMergeSeconds);
    }

    [Fact]
    public void Compute_Counts_RequestsForcePushesSizeAndBotAuthor()
    {
        var m = Compute(Pr(author: "dependabot", authorType: "Bot", events:
        [
            new(TimelineEventTypes.ReviewRequested, H(1)), new(TimelineEventTypes.ReviewRequestRemoved, H(2)), new(TimelineEventTypes.ReviewRequested, H(3)),
            new(TimelineEventTypes.HeadRefForcePushed, H(4)), new(TimelineEventTypes.HeadRefForcePushed, H(5)), new(TimelineEventTypes.Merged, H(6)),
        ]));

        Assert.Equal(2, m.ReviewRequests);
        Assert.Equal(2, m.ForcePushes);
        Assert.Equal(15, m.Size);
        Assert.Equal(3, m.ChangedFiles);
        Assert.True(m.AuthorIsBot);
    }

    [Fact]
    public void Compute_GhostAuthor_AnyNamedNonBotReviewerCounts()
    {
        var m = Compute(Pr(author: null, authorType: null, reviews: [Review("bob", 2)]));

        Assert.False(m.AuthorIsBot);
        Assert.Equal(H(2), m.FirstReviewAt);
    }

    [Theory]
    [InlineData("renovate", "Bot", true)]
    [InlineData("ci-runner[BOT]", "User", true)]
    [InlineData("Release-Robot", "User", true)]
    [InlineData("alice", "User", false)]
    [InlineData(null, "User", false)]
    public void IsBot_TypeSuffixOrListed_CaseInsensitive(string? login, string type, bool expected) =>
        Assert.Equal(expected, new BotRule(["release-robot"]).IsBot(login, type));
}
