using System.Globalization;
using System.Text.Json;
using Pulse.Core.Metrics;
using Pulse.Server.Api;

namespace Pulse.Cli;

/// <summary>How <c>pulse metrics</c> prints: aligned tables with readable durations, JSON as the API's, CSV in seconds.</summary>
public static class MetricsOutput
{
    private static readonly string[] PrColumns =
        ["repository", "number", "state", "author", "ready_at", "coding", "pickup", "review", "cycle", "to_merge", "draft", "reviewers", "rework", "bot"];

    public static void Prs(IReadOnlyList<PrMetricsView> rows, string format, TextWriter output)
    {
        switch (format)
        {
            case "json":
                foreach (var row in rows) output.WriteLine(JsonSerializer.Serialize(row, MetricsCommand.Json));
                break;
            case "csv":
                var names = JsonSerializer.SerializeToElement(rows.FirstOrDefault() ?? Empty, MetricsCommand.Json).EnumerateObject().Select(p => p.Name).ToList();
                output.WriteLine(string.Join(',', names));
                foreach (var row in rows)
                    output.WriteLine(string.Join(',', JsonSerializer.SerializeToElement(row, MetricsCommand.Json).EnumerateObject().Select(p => Csv(p.Value))));
                break;
            default:
                Table(output, PrColumns, rows.Select(r => new[]
                {
                    r.Repository, $"#{r.Number}", r.State, r.Author ?? "ghost", r.ReadyAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-",
                    Duration(r.CodingSeconds), Duration(r.PickupSeconds), Duration(r.ReviewSeconds), Duration(r.CycleSeconds), Duration(r.TimeToMergeSeconds),
                    Duration(r.DraftSeconds), r.Reviewers.ToString(CultureInfo.InvariantCulture), r.ReworkCommits?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    r.AuthorIsBot ? "bot" : "",
                }));
                output.WriteLine($"{rows.Count} pull requests");
                break;
        }
    }

    public static void Summary(SummaryView summary, string format, TextWriter output)
    {
        switch (format)
        {
            case "json":
                output.WriteLine(JsonSerializer.Serialize(summary, MetricsCommand.Json));
                break;
            case "csv":
                output.WriteLine("by,key,count,duration,p50,p75,p90");
                foreach (var g in summary.Groups)
                    foreach (var (name, p) in g.Durations)
                        output.WriteLine(string.Join(',', summary.By, Quote(g.Key), g.Count, name, p.P50, p.P75, p.P90));
                break;
            default:
                var columns = new List<string> { summary.By, "merged" };
                columns.AddRange(MetricsSummary.Durations.Select(d => $"{d.Name.Replace("_seconds", "", StringComparison.Ordinal)} p50/p75/p90"));
                Table(output, columns, summary.Groups.Select(g => new[] { g.Key, g.Count.ToString(CultureInfo.InvariantCulture) }
                    .Concat(MetricsSummary.Durations.Select(d => g.Durations[d.Name] is var p ? $"{Duration(p.P50)} / {Duration(p.P75)} / {Duration(p.P90)}" : "")).ToArray()));
                output.WriteLine();
                output.WriteLine($"Waiting for a first review: {summary.Waiting.Count}");
                Table(output, ["repository", "number", "ready_at", "age", "requested"], summary.Waiting.Select(w => new[]
                {
                    w.Repository, $"#{w.Number}", w.ReadyAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Duration(w.AgeSeconds),
                    w.RequestedReviewers.Count == 0 ? "-" : string.Join(' ', w.RequestedReviewers),
                }));
                break;
        }
    }

    /// <summary>A duration for people: "-" for none, else its two largest units ("3d 04h", "2h 10m", "45s").</summary>
    public static string Duration(long? seconds)
    {
        if (seconds is not { } s) return "-";
        var t = TimeSpan.FromSeconds(s);
        return t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.Hours:D2}h" : t.TotalHours >= 1 ? $"{t.Hours}h {t.Minutes:D2}m" : t.TotalMinutes >= 1 ? $"{t.Minutes}m {t.Seconds:D2}s" : $"{t.Seconds}s";
    }

    private static void Table(TextWriter output, IReadOnlyList<string> columns, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var row in all) output.WriteLine(string.Join("  ", row.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
    }

    private static string Csv(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => Quote(value.GetString()!),
        _ => value.GetRawText(),
    };

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    private static readonly PrMetricsView Empty = new("", 0, "", null, null, "", default, null, false, null, null, null, null, null, null, null, null, null,
        0, 0, 0, 0, null, 0, 0, 0, false);
}
