using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pulse.Bench;

/// <summary>The result file as Markdown tables.</summary>
public static class Markdown
{
    public static string Render(JsonObject r)
    {
        var s = new StringBuilder();
        var m = r["machine"]!;
        s.AppendLine($"# {r["name"]} — measured {r["measuredAtUtc"]}");
        s.AppendLine();
        s.AppendLine($"Data set: `{r["dataset"]!["spec"]}`, owner `{r["dataset"]!["owner"]}`. Shape as fetched by (a): {Shape(r)}.");
        s.AppendLine($"Machine: {m["processorCount"]} cores, {m["runtime"]}; load average (1/5/15 min) at start {m["loadAverageAtStart"]}, at end {m["loadAverageAtEnd"]}. {m["note"]}");
        s.AppendLine();
        s.AppendLine("## Full extraction, same data, same run (points from the simulator's /_sim/stats)");
        s.AppendLine();
        s.AppendLine("| extractor | points | points / 1,000 PRs | requests | nodes | seconds | Pulse / this |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var pulse = (double)(long)r["pulse"]!["points"]!;
        Row(s, "**Pulse** (full sync, embedded, no embeddings)", r["pulse"]!, pulse);
        Row(s, "(a) seed: PR pages, then commits / reviews / comments per PR", r["seed"]!, pulse);
        Row(s, "(b) original as shipped (50/page, nested 50, follow-up per PR per connection; no thread comments)", r["original"]!, pulse);
        Row(s, "(b′) original + one follow-up per review thread (complete)", r["originalComplete"]!, pulse);
        var lb = r["lowerBound"]!;
        s.AppendLine($"| (c) lower bound from GitHub's cost rule | {lb["points"]} | {lb["pointsPer1000Prs"]} | {lb["requests"]} (GitHub requests) | | | {Ratio(pulse, (long)lb["points"]!)} |");
        s.AppendLine($"| (c′) lower bound with the two unavoidable rounds (discovery, first listing pages) | {lb["pointsWithRounds"]} | | | | | {Ratio(pulse, (long)lb["pointsWithRounds"]!)} |");
        s.AppendLine();
        s.AppendLine($"Lower bound: {lb["formula"]}. {lb["formulaWithRounds"]}. Assumptions: {lb["assumptions"]}. Pulse's data complete (row counts equal (a)'s items): {r["pulse"]!["completeVersusSeed"]} — {r["pulse"]!["rowCounts"]}.");
        s.AppendLine();
        s.AppendLine("## Pulse");
        s.AppendLine();
        s.AppendLine("| figure | value | load average |");
        s.AppendLine("|---|---:|---|");
        var p = r["pulse"]!;
        s.AppendLine($"| full sync: PRs/s end to end (simulator in the same process, no latency) | {p["prsPerSecond"]} | {p["loadAverageBefore"]} → {p["loadAverageAfter"]} |");
        s.AppendLine($"| full sync: rows/s ({p["rows"]} rows in {p["seconds"]} s) | {p["rowsPerSecond"]} | |");
        if (r["pulseWarm"] is { } w)
        {
            s.AppendLine($"| the same full sync again into a fresh database, same process (warm: Pulse's code compiled): PRs/s | {w["prsPerSecond"]} | {w["loadAverageBefore"]} → {w["loadAverageAfter"]} |");
            s.AppendLine($"| … rows/s ({w["rows"]} rows in {w["seconds"]} s; complete: {w["completeVersusSeed"]}) | {w["rowsPerSecond"]} | |");
        }
        if (r["pulseDistributed"] is { } d)
        {
            s.AppendLine($"| distributed full sync (PostgreSQL + RabbitMQ; {d["workers"]}): PRs/s | {d["prsPerSecond"]} | {d["loadAverageBefore"]} → {d["loadAverageAfter"]} |");
            s.AppendLine($"| distributed: rows/s ({d["rows"]} rows in {d["seconds"]} s; complete: {d["completeVersusSeed"]}; points {d["points"]}) | {d["rowsPerSecond"]} | |");
        }
        var nc = r["pulseNoChange"]!;
        s.AppendLine($"| no-change re-sync of this data set ({nc["repositories"]} repositories): points / requests / nodes | {nc["points"]} / {nc["requests"]} / {nc["nodes"]} | |");
        var nc50 = r["pulseNoChange50"]!;
        s.AppendLine($"| no-change re-sync of {nc50["repositories"]} repositories (`{nc50["spec"]}`): points / requests / nodes | {nc50["points"]} / {nc50["requests"]} / {nc50["nodes"]} | |");
        var ch = r["pulseChanged"]!;
        s.AppendLine($"| re-sync after {ch["changedPrs"]} changed PRs (half title edits, half new comments): points / requests / nodes | {ch["points"]} / {ch["requests"]} / {ch["nodes"]} | |");
        var lat = r["pulseLatency"]!;
        s.AppendLine($"| 300 ms latency, budget {lat["pointsPerWindow"]} points per {lat["windowSeconds"]} s window: wall time | {lat["seconds"]} s | {lat["loadAverageBefore"]} → {lat["loadAverageAfter"]} |");
        s.AppendLine($"| … points needed ÷ budget = {lat["points"]} ÷ ({lat["pointsPerWindow"]}/{lat["windowSeconds"]} s) | {lat["pointsNeededOverBudgetSeconds"]} s | |");
        s.AppendLine($"| … wall time / (points needed ÷ budget) | {lat["wallOverBudgetTime"]} | |");
        s.AppendLine($"| … for comparison: the same full sync without latency or budget (above) | {p["seconds"]} s | |");
        s.AppendLine($"| … secondary-limit hits / primary-limit answers | {lat["secondaryLimitHits"]} / {lat["rateLimitedAnswers"]} | |");
        foreach (var size in (JsonArray?)r["peakRss"] ?? [])
            s.AppendLine($"| peak RSS, full sync of {size!["prs"]} PRs in its own process | {size["peakRssMb"]} MB ({size["prsPerSecond"]} PRs/s) | {size["loadAverageBefore"]} |");
        if (r["pulse"]!["stageTimeline"] is JsonArray timeline)
        {
            s.AppendLine();
            s.AppendLine("Full sync, stage timeline (seconds from the run's start): " + string.Join("; ", timeline.Select(t => (string)t!)) + ".");
        }
        s.AppendLine();
        s.AppendLine("## Targets");
        s.AppendLine();
        foreach (var (key, value) in r["targets"]!.AsObject()) s.AppendLine($"- {key}: {value}");
        return s.ToString();
    }

    private static void Row(StringBuilder s, string name, JsonNode f, double pulse) =>
        s.AppendLine($"| {name} | {f["points"]} | {f["pointsPer1000Prs"]} | {f["requests"]} | {f["nodes"]} | {f["seconds"]} | {Ratio(pulse, (long)f["points"]!)} |");

    private static string Ratio(double pulse, long other) => other == 0 ? "n/a" : (pulse / other).ToString("F3", CultureInfo.InvariantCulture);

    private static string Shape(JsonObject r) => r["dataset"]!["shape"] is JsonObject shape
        ? string.Join(", ", shape.Select(kv => $"{kv.Key} {kv.Value}")) : "n/a";
}
