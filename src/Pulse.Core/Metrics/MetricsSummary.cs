using System.Globalization;
using Pulse.Core.Storage;

namespace Pulse.Core.Metrics;

/// <summary>Percentiles of one duration: nearest-rank over the group's non-null values, null when it has none.</summary>
public sealed record Percentiles(long? P50, long? P75, long? P90);

public sealed record SummaryGroup(string Key, int Count, IReadOnlyDictionary<string, Percentiles> Durations);

public sealed record WaitingView(string Repository, int Number, string Title, string? Url, DateTimeOffset ReadyAt, long AgeSeconds, IReadOnlyList<string> RequestedReviewers);

public sealed record MetricsSummaryResult(string By, IReadOnlyList<SummaryGroup> Groups, IReadOnlyList<WaitingView> Waiting);

/// <summary>
/// The summary of issue 13: count and p50/p75/p90 of each duration over merged PRs whose author is not a bot, grouped by the
/// ISO week of mergedAt (<c>YYYY-Www</c>), repository or author; and the PRs waiting for a first review with their age.
/// </summary>
public static class MetricsSummary
{
    public static readonly IReadOnlyList<string> Groupings = ["week", "repository", "author"];

    /// <summary>The durations summarised, by their wire names, and how each is read from a PR's metrics.</summary>
    public static readonly IReadOnlyList<(string Name, Func<PrMetrics, long?> Of)> Durations =
    [
        ("coding_seconds", m => m.CodingSeconds),
        ("pickup_seconds", m => m.PickupSeconds),
        ("review_seconds", m => m.ReviewSeconds),
        ("cycle_seconds", m => m.CycleSeconds),
        ("time_to_merge_seconds", m => m.TimeToMergeSeconds),
        ("draft_seconds", m => m.DraftSeconds),
    ];

    public static MetricsSummaryResult Build(string by, IEnumerable<PrMetricsRecord> prs, IEnumerable<WaitingPr> waiting, DateTimeOffset now)
    {
        var key = KeyOf(by);
        var groups = prs.Where(p => p.State == "MERGED" && p.MergedAt is not null && !p.Metrics.AuthorIsBot)
            .GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SummaryGroup(g.Key, g.Count(),
                Durations.ToDictionary(d => d.Name, d => Of(g.Select(p => d.Of(p.Metrics)).OfType<long>().ToList()))))
            .ToList();
        var views = waiting.OrderBy(w => w.ReadyAt).ThenBy(w => w.Repository, StringComparer.Ordinal).ThenBy(w => w.Number)
            .Select(w => new WaitingView(w.Repository, w.Number, w.Title, w.Url, w.ReadyAt, Math.Max(0, (long)Math.Floor((now - w.ReadyAt).TotalSeconds)), w.RequestedReviewers))
            .ToList();
        return new MetricsSummaryResult(by, groups, views);
    }

    private static Func<PrMetricsRecord, string> KeyOf(string by) => by switch
    {
        "week" => p => IsoWeek(p.MergedAt!.Value),
        "repository" => p => p.Repository,
        "author" => p => p.Author ?? "ghost",
        _ => throw new ArgumentException($"by must be one of {string.Join(", ", Groupings)}, not '{by}'.", nameof(by)),
    };

    /// <summary>The ISO-8601 week of a UTC time, as <c>YYYY-Www</c> (the week-based year: 2027-01-01 is in 2026-W53).</summary>
    public static string IsoWeek(DateTimeOffset at)
    {
        var day = at.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day):D4}-W{ISOWeek.GetWeekOfYear(day):D2}");
    }

    /// <summary>Nearest-rank percentiles: the value at rank ceil(p × n / 100) of the sorted values (in integers: no rounding drift).</summary>
    public static Percentiles Of(IReadOnlyList<long> values)
    {
        if (values.Count == 0) return new Percentiles(null, null, null);
        var sorted = values.Order().ToArray();
        long At(int p) => sorted[Math.Max(1, (p * sorted.Length + 99) / 100) - 1];
        return new Percentiles(At(50), At(75), At(90));
    }
}
