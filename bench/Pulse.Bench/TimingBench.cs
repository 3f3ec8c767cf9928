using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Bench;

/// <summary>
/// Pulse's full sync against the strict simulator at several timing scales (1 = calibrated on GitHub's public record,
/// 2 and 4 = GitHub slower than that), without faults and with secondary limits "for undisclosed reasons" at a rate per
/// request: points against the lower bound, timeouts, resource-limit answers, secondary limits, wall time, completeness.
/// The simulator sleeps <c>sleepScale</c> × what it simulates, with GitHub's limits as they are (CPU budget included).
/// </summary>
public sealed class TimingBench(BenchSet set, string outputDirectory, double[] scales, double sleepScale, double secondaryRate)
{
    private readonly JsonObject _result = new();

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var spec = SyntheticSpec.Parse(set.Spec);
        _result["name"] = set.Name + "-timing";
        _result["measuredAtUtc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture);
        _result["machine"] = new JsonObject
        {
            ["processorCount"] = Environment.ProcessorCount, ["loadAverageAtStart"] = Bench.LoadAverage(),
            ["note"] = "2-core machine shared with other builds: wall times are noisy.",
        };
        _result["dataset"] = spec.ToString();
        _result["sleepScale"] = sleepScale;
        _result["command"] = $"dotnet run -c Release --project bench/Pulse.Bench -- timing {set.Name} --scales {string.Join(',', scales.Select(Text))} --sleep-scale {Text(sleepScale)} --secondary {Text(secondaryRate)}";
        var shape = await ShapeAsync(spec, ct);
        var (lbRequests, lbPoints) = LowerBound.Of(shape);
        _result["lowerBound"] = new JsonObject { ["requests"] = lbRequests, ["points"] = lbPoints, ["pointsPer1000Prs"] = Bench.Round(lbPoints * 1000.0 / shape.Prs) };
        Say($"{spec}: {shape.Totals()}; lower bound {lbPoints} points");

        var runs = new JsonArray();
        foreach (var faults in new[] { 0.0, secondaryRate })
            foreach (var scale in scales)
                runs.Add(await RunAsync(spec, shape, lbPoints, scale, faults, ct));
        _result["runs"] = runs;
        _result["machine"]!["loadAverageAtEnd"] = Bench.LoadAverage();
        _result["targets"] = Targets(runs);
        Directory.CreateDirectory(outputDirectory);
        var name = (string)_result["name"]!;
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, name + ".json"), _result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", ct);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, name + ".md"), Render(), ct);
        Say($"wrote {name}.json and {name}.md");
        return 0;
    }

    /// <summary>The data's shape as the seed's extractor fetches it, on a simulator without limits (only the counts matter here).</summary>
    private static async Task<DataShape> ShapeAsync(SyntheticSpec spec, CancellationToken ct)
    {
        var relaxed = new SimulatorOptions
        {
            Synthetic = spec, ProcessingTimeScale = 0, PointsPerHour = 100_000_000, RequestsPerMinutePerToken = 100_000_000,
            CpuBudget = TimeSpan.FromDays(1), MaxConcurrentRequestsPerToken = 1_000, Timeout = TimeSpan.FromDays(1), ResourceBudget = null,
        };
        await using var sim = await GitHubSimulatorServer.StartAsync(relaxed, ct);
        using var client = new GraphQLHttp(sim.GraphQLUrl, "sim-token");
        return await new SeedBaseline(client, Bench.Owner, 4).RunAsync(ct);
    }

    private async Task<JsonObject> RunAsync(SyntheticSpec spec, DataShape shape, long lbPoints, double scale, double secondary, CancellationToken ct)
    {
        var options = new SimulatorOptions
        {
            Synthetic = spec, TimingScale = scale, ProcessingTimeScale = sleepScale, Seed = 12,
            Faults = secondary > 0 ? new Dictionary<FaultKind, double> { [FaultKind.Secondary] = secondary } : new Dictionary<FaultKind, double>(),
        };
        await using var sim = await GitHubSimulatorServer.StartAsync(options, ct);
        using var control = new SimControl(sim.BaseUrl);
        await using var pulse = new PulseRun();
        var load = Bench.LoadAverage();
        var watch = Stopwatch.StartNew();
        var (run, _) = await pulse.SyncAsync(sim.GraphQLUrl, Bench.Owner, null, ct);
        var elapsed = watch.Elapsed;
        var counters = await control.StatsAsync(ct);
        var rows = await pulse.RowsAsync();
        var figures = new JsonObject
        {
            ["timingScale"] = scale, ["secondaryFaultRate"] = secondary, ["succeeded"] = run.Succeeded, ["error"] = run.Error,
            ["complete"] = rows.Matches(shape), ["rowCounts"] = rows.Totals(),
            ["points"] = counters.Points, ["pointsPer1000Prs"] = Bench.Round(counters.Points * 1000.0 / shape.Prs),
            ["overLowerBound"] = Bench.Round(counters.Points / (double)lbPoints, 3),
            ["requests"] = counters.Requests, ["timeouts"] = counters.Timeouts,
            ["timeoutShareOfRequests"] = Bench.Round(counters.Timeouts / (double)Math.Max(1, counters.Requests), 4),
            ["resourceLimitAnswers"] = counters.Errors.GetValueOrDefault("resource_limits"),
            ["secondaryLimitAnswers"] = counters.Secondary + counters.Errors.GetValueOrDefault("fault_secondary"),
            ["simulatedGitHubSeconds"] = Bench.Round(counters.ProcessingMs / 1000.0),
            ["meanSimulatedSecondsPerRequest"] = Bench.Round(counters.ProcessingMs / 1000.0 / Math.Max(1, counters.Requests)),
            ["wallSeconds"] = Bench.Round(elapsed.TotalSeconds), ["loadAverageBefore"] = load, ["loadAverageAfter"] = Bench.LoadAverage(),
        };
        Say($"scale {scale}, secondary {secondary}: {figures.ToJsonString()}");
        return figures;
    }

    private static JsonObject Targets(JsonArray runs)
    {
        JsonNode Run(double scale, bool faults) => runs.First(r => (double)r!["timingScale"]! == scale && ((double)r["secondaryFaultRate"]! > 0) == faults)!;
        string Verdict(bool met, string figure) => (met ? "met: " : "MISSED: ") + figure;
        var one = Run(1, false);
        var four = runs.Any(r => (double)r!["timingScale"]! == 4) ? Run(4, false) : null;
        var complete = runs.All(r => (bool)r!["succeeded"]! && (bool)r["complete"]!);
        var faulted = runs.Where(r => (double)r!["secondaryFaultRate"]! > 0).ToList();
        return new JsonObject
        {
            ["completeAtEveryScale"] = Verdict(complete, $"{runs.Count(r => (bool)r!["complete"]!)} of {runs.Count} runs complete"),
            ["scale1AtMost1.25xLowerBound"] = Verdict((double)one["overLowerBound"]! <= 1.25, $"{one["overLowerBound"]}x"),
            ["scale4AtMost1.5xLowerBound"] = four is null ? "not measured" : Verdict((double)four["overLowerBound"]! <= 1.5, $"{four["overLowerBound"]}x"),
            ["scale1TimeoutsAtMost1PercentOfQueries"] = Verdict((double)one["timeoutShareOfRequests"]! <= 0.01, $"{one["timeouts"]} of {one["requests"]} requests"),
            ["noFailedRunUnderRandomSecondaryLimits"] = Verdict(faulted.All(r => (bool)r!["succeeded"]! && (bool)r["complete"]!),
                $"{faulted.Count(r => !(bool)r!["succeeded"]!)} failed of {faulted.Count}"),
        };
    }

    private string Render()
    {
        var s = new StringBuilder();
        s.AppendLine($"# {_result["name"]} — measured {_result["measuredAtUtc"]}");
        s.AppendLine();
        s.AppendLine($"Data set `{_result["dataset"]}`; lower bound {_result["lowerBound"]!["points"]} points ({_result["lowerBound"]!["pointsPer1000Prs"]} per 1,000 PRs; "
            + "the formula of bench-org.md). Produced by `" + _result["command"] + "`: Pulse's embedded sync (SQLite, 2 extraction workers, no embeddings) "
            + $"against the simulator with GitHub's limits as they are; the simulator sleeps {_result["sleepScale"]} × the processing it simulates. "
            + $"Load average {_result["machine"]!["loadAverageAtStart"]} → {_result["machine"]!["loadAverageAtEnd"]} ({_result["machine"]!["note"]}).");
        s.AppendLine();
        s.AppendLine("| timing scale | secondary faults / request | points | per 1,000 PRs | × lower bound | requests | timeouts | resource-limit answers | secondary-limit answers | GitHub's simulated work, s (mean per request) | wall s | complete |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in (JsonArray)_result["runs"]!)
            s.AppendLine($"| {r!["timingScale"]} | {r["secondaryFaultRate"]} | {r["points"]} | {r["pointsPer1000Prs"]} | {r["overLowerBound"]} | {r["requests"]} | {r["timeouts"]} | "
                + $"{r["resourceLimitAnswers"]} | {r["secondaryLimitAnswers"]} | {r["simulatedGitHubSeconds"]} ({r["meanSimulatedSecondsPerRequest"]}) | {r["wallSeconds"]} | {((bool)r["succeeded"]! && (bool)r["complete"]! ? "yes" : "NO: " + r["error"])} |");
        s.AppendLine();
        s.AppendLine("## Targets (issue 12)");
        s.AppendLine();
        foreach (var (key, value) in (JsonObject)_result["targets"]!) s.AppendLine($"- {key}: {value}");
        return s.ToString();
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Say(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] (load {Bench.LoadAverage()}) {line}");
}
