using System.Globalization;
using System.Text.Json;

namespace Pulse.Server.Tests.Server.Dashboard;

/// <summary>Compares what the Insights page shows with what /api/metrics answered for the same filter.</summary>
internal static class InsightsPageAssert
{
    // The breakdown table's p50 columns in order; the chart stacks the first three.
    private static readonly string[] Phases = ["coding_seconds", "pickup_seconds", "review_seconds", "cycle_seconds"];

    /// <param name="ageSlack">How long before the test's own API call the page may have made its own (ages grow meanwhile).</param>
    public static void ShowsTheApisAnswers(InsightsPageView shown, JsonElement summary, JsonElement mergedPrs, TimeSpan ageSlack)
    {
        Breakdown(shown, summary.GetProperty("groups"));
        Histogram(shown, mergedPrs);
        WaitingList(shown.WaitingList, summary.GetProperty("waiting"), ageSlack);
        // Both charts speak of the same PRs: merged, not bots', in the filter.
        Assert.Equal(shown.Breakdown.Sum(w => w.Count), shown.Histogram.Sum(b => b.Count));
    }

    private static void Breakdown(InsightsPageView shown, JsonElement groups)
    {
        var weeks = groups.EnumerateArray().OrderBy(Key, StringComparer.Ordinal).ToArray();
        Assert.Equal(weeks.Select(Key), shown.Breakdown.Select(w => w.Key));
        Assert.Equal(weeks.Select(Key), shown.BreakdownChart.Labels);
        Assert.Equal(3, shown.BreakdownChart.Data.Length);
        for (var i = 0; i < weeks.Length; i++)
        {
            Assert.Equal(weeks[i].GetProperty("count").GetInt64(), shown.Breakdown[i].Count);
            for (var p = 0; p < Phases.Length; p++)
            {
                var p50 = P50(weeks[i], Phases[p]);
                var cell = shown.Breakdown[i].Cells[p];
                Assert.Equal(p50, cell.Seconds == "" ? null : double.Parse(cell.Seconds, CultureInfo.InvariantCulture));
                Assert.Equal(p50 is { } s ? (s / 3600).ToString("F1", CultureInfo.InvariantCulture) : "—", cell.Text);
                if (p < 3) Assert.Equal(p50 / 3600, shown.BreakdownChart.Data[p][i]);
            }
        }
    }

    private static void Histogram(InsightsPageView shown, JsonElement mergedPrs)
    {
        var prs = mergedPrs.EnumerateArray().ToArray();
        Assert.All(prs, p => Assert.Equal("MERGED", p.GetProperty("state").GetString()));
        var cycles = prs.Where(p => !p.GetProperty("author_is_bot").GetBoolean() && p.GetProperty("cycle_seconds").ValueKind == JsonValueKind.Number)
            .Select(p => p.GetProperty("cycle_seconds").GetInt64()).ToArray();
        // Bins start at 0, each where the one before ends, the last open-ended: every PR falls in exactly one.
        var bins = shown.Histogram;
        Assert.Equal(0, bins[0].Lower);
        for (var i = 0; i + 1 < bins.Length; i++) Assert.Equal(bins[i].Upper, bins[i + 1].Lower);
        Assert.Null(bins[^1].Upper);
        var expected = bins.Select(b => (long)cycles.Count(c => c >= b.Lower && (b.Upper is not { } upper || c < upper))).ToArray();
        Assert.Equal(expected, bins.Select(b => b.Count));
        Assert.Equal(expected.Select(n => n.ToString(CultureInfo.InvariantCulture)), bins.Select(b => b.Text));
        Assert.Equal(expected.Select(n => (double?)n), Assert.Single(shown.HistogramChart.Data));
        Assert.StartsWith($"{cycles.Length} merged pull requests; {prs.Length - cycles.Length} ", shown.HistogramNote);
    }

    private static void WaitingList(InsightsPageView.Waiting[] shown, JsonElement waiting, TimeSpan ageSlack)
    {
        var expected = waiting.EnumerateArray().ToArray();
        Assert.Equal(expected.Select(w => (w.GetProperty("repository").GetString(), w.GetProperty("number").GetInt64())),
            shown.Select(s => ((string?)s.Repository, s.Number)));
        foreach (var (w, s) in expected.Zip(shown))
        {
            Assert.Equal(w.GetProperty("url").GetString(), s.Href);
            Assert.Equal(w.GetProperty("title").GetString(), s.Title);
            Assert.Equal(w.GetProperty("ready_at").GetString(), s.ReadyAt);
            var reviewers = w.GetProperty("requested_reviewers").EnumerateArray().Select(r => r.GetString()).ToArray();
            Assert.Equal(reviewers.Length == 0 ? "—" : string.Join(", ", reviewers), s.Reviewers);
            // The page asked a moment before the test did: its age is the API's, less at most the time between the two.
            var age = w.GetProperty("age_seconds").GetInt64();
            Assert.InRange(s.AgeSeconds, age - (long)Math.Ceiling(ageSlack.TotalSeconds) - 1, age);
            Assert.Equal(AgeText(s.AgeSeconds), s.AgeText);
        }
    }

    private static string Key(JsonElement group) => group.GetProperty("key").GetString()!;

    private static double? P50(JsonElement group, string duration) =>
        group.GetProperty("durations").GetProperty(duration).GetProperty("p50") is { ValueKind: JsonValueKind.Number } p50 ? p50.GetDouble() : null;

    private static string AgeText(long seconds) =>
        seconds >= 86400 ? $"{seconds / 86400}d {seconds % 86400 / 3600}h" : seconds >= 3600 ? $"{seconds / 3600}h {seconds % 3600 / 60}m" : $"{seconds / 60}m";
}
