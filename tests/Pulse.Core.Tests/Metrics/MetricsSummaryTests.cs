using Pulse.Core.Metrics;
using Pulse.Core.Storage;

namespace Pulse.Core.Tests.Metrics;

public sealed class MetricsSummaryTests
{
    private static readonly PrMetrics Zero = new(false, null, null, null, null, null, null, null, null, null, 0, 0, 0, 0, null, 0, 0, 0, false);

    private static PrMetricsRecord Merged(string repo, int number, DateTimeOffset merged, long? cycle, bool bot = false, string author = "alice") =>
        new(number, repo, number, $"PR {number}", null, author, "MERGED", false, merged.AddDays(-1), merged, Zero with { CycleSeconds = cycle, AuthorIsBot = bot });

    [Theory]
    [InlineData(new long[] { 7 }, 7, 7, 7)]
    [InlineData(new long[] { 4, 1, 3, 2 }, 2, 3, 4)]
    [InlineData(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 5, 8, 9)]   // rank ceil(0.9 × 10) = 9, not 10 by rounding drift
    public void Of_NearestRank(long[] values, long p50, long p75, long p90) =>
        Assert.Equal(new Percentiles(p50, p75, p90), MetricsSummary.Of(values));

    [Fact]
    public void Of_NoValues_AllNull() => Assert.Equal(new Percentiles(null, null, null), MetricsSummary.Of([]));

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2026-W01")]
    [InlineData("2027-01-01T12:00:00Z", "2026-W53")]
    [InlineData("2024-12-30T00:00:00Z", "2025-W01")]
    public void IsoWeek_WeekBasedYear(string at, string key) => Assert.Equal(key, MetricsSummary.IsoWeek(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Build_ByWeek_MergedNonBotOnlyNullsLeftOut()
    {
        var monday = new DateTimeOffset(2026, 1, 26, 10, 0, 0, TimeSpan.Zero);   // 2026-W05
        var prs = new[]
        {
            Merged("o/a", 1, monday, 100), Merged("o/a", 2, monday.AddDays(2), 300), Merged("o/b", 3, monday.AddDays(3), null),
            Merged("o/a", 4, monday.AddDays(1), 5, bot: true), Merged("o/a", 5, monday.AddDays(7), 50),
            new PrMetricsRecord(6, "o/a", 6, "open", null, "bob", "OPEN", false, monday, null, Zero with { CycleSeconds = 1 }),
        };

        var summary = MetricsSummary.Build("week", prs, [], monday);

        Assert.Equal(["2026-W05", "2026-W06"], summary.Groups.Select(g => g.Key));
        Assert.Equal(3, summary.Groups[0].Count);
        Assert.Equal(new Percentiles(100, 300, 300), summary.Groups[0].Durations["cycle_seconds"]);
        Assert.Equal(new Percentiles(null, null, null), summary.Groups[0].Durations["review_seconds"]);
        Assert.Equal(MetricsSummary.Durations.Select(d => d.Name), summary.Groups[1].Durations.Keys);
    }

    [Fact]
    public void Build_Waiting_OldestFirstWithAge()
    {
        var now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var waiting = new[]
        {
            new WaitingPr("o/a", 2, "newer", null, now.AddHours(-1), ["bob"]),
            new WaitingPr("o/a", 1, "older", null, now.AddDays(-2), []),
        };

        var summary = MetricsSummary.Build("repository", [], waiting, now);

        Assert.Equal([1, 2], summary.Waiting.Select(w => w.Number));
        Assert.Equal(2 * 86400, summary.Waiting[0].AgeSeconds);
        Assert.Equal(["bob"], summary.Waiting[1].RequestedReviewers);
    }

    [Fact]
    public void Build_UnknownGrouping_Throws() => Assert.Throws<ArgumentException>(() => MetricsSummary.Build("month", [], [], DateTimeOffset.UnixEpoch));

    [Fact]
    public void RequestedReviewers_RemovedLeaveRepeatedOnce()
    {
        var current = RequestedReviewers.Current([
            ("REVIEW_REQUESTED_EVENT", "bob"), ("REVIEW_REQUESTED_EVENT", "backend"), ("REVIEW_REQUEST_REMOVED_EVENT", "BOB"),
            ("REVIEW_REQUESTED_EVENT", "carol"), ("REVIEW_REQUESTED_EVENT", "carol"), ("REVIEW_REQUESTED_EVENT", null)]);

        Assert.Equal(["backend", "carol"], current);
    }
}
