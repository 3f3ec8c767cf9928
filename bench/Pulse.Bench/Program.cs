using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Bench;
using Pulse.Core.GitHub;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

// Usage: Pulse.Bench bench-small | bench-org [--rss 5000,10000[,50000]] [--rss-only] [--no-distributed] [--out DIR]
//        (the distributed figure uses PULSE_TEST_POSTGRES / PULSE_TEST_RABBITMQ, or services.sh's defaults; --no-distributed skips it)
//        (--rss-only: only the peak-RSS children, written to <name>-rss.json / .md)
//        Pulse.Bench diag-workers bench-org   (diagnosis: full sync with 2, 4, 1 extraction workers, stage timelines)
//        Pulse.Bench diag-sync bench-org [N] [--sim-process]  (diagnosis: N full syncs; wall, CPU and time waiting on the simulator,
//                                   stage timelines; --sim-process: the simulator in a child process, so CPU splits Pulse / simulator)
//        Pulse.Bench diag-distributed bench-org [N] [--workers W] [--processes P] [--calls K]  (diagnosis: N rounds of an embedded and a
//                                   distributed full sync, CPU and stage timelines; --processes: the workers in P `pulse worker` processes
//                                   of W consumers per stage (else W in this process); --calls: the K database / broker / HTTP calls that took longest)
//        Pulse.Bench timing bench-org [--scales 1,2,4] [--sleep-scale 1] [--secondary 0.02]   (issue 12: full syncs against the strict
//                                   simulator at each timing scale, without and with secondary-limit faults, into <name>-timing.json / .md)
//        Pulse.Bench webhooks [--mutations 200] [--interval-ms 50] [--coalesce-ms 1000] [--coalesce-idle-ms 250] [--coalesce-deliveries 12] [--concurrent-refreshes 4] [--postgres]
//                                   (issue 15: mutation → row latency and points
//                                   per refreshed PR, with `pulse serve` fed by the simulator's webhooks, into webhooks-*.json)
//        Pulse.Bench sim-child SPEC   (internal: a simulator serving until its standard input closes)
//        Pulse.Bench rss-child URL OWNER   (internal: one Pulse sync in its own process, prints its peak RSS)
if (args.Length >= 2 && args[0] == "diag-workers") return await Diagnosis.WorkersAsync(Bench.Sets[args[1]]);
if (args.Length >= 2 && args[0] == "diag-sync")
    return await Diagnosis.SyncAsync(Bench.Sets[args[1]], args.Length >= 3 && int.TryParse(args[2], out var n) ? n : 2, args.Contains("--sim-process"));
if (args.Length >= 2 && args[0] == "diag-distributed")
    return await Diagnosis.DistributedAsync(Bench.Sets[args[1]], args.Length >= 3 && int.TryParse(args[2], out var d) ? d : 1,
        Option(args, "--workers") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : 2,
        Option(args, "--calls") is { } k ? int.Parse(k, CultureInfo.InvariantCulture) : 0,
        Option(args, "--processes") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 0);
if (args.Length >= 2 && args[0] == "sim-child") return await Diagnosis.ServeSimulatorAsync(args[1]);
if (args.Length >= 2 && args[0] == "timing")
    return await new TimingBench(Bench.Sets[args[1]], Option(args, "--out") ?? Path.Combine(Bench.RepositoryRoot(), "bench", "results"),
        (Option(args, "--scales") ?? "1,2,4").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
        double.Parse(Option(args, "--sleep-scale") ?? "1", CultureInfo.InvariantCulture),
        double.Parse(Option(args, "--secondary") ?? "0.02", CultureInfo.InvariantCulture)).RunAsync(CancellationToken.None);
if (args.Length >= 1 && args[0] == "webhooks")
    return await new WebhookBench(Option(args, "--out") ?? Path.Combine(Bench.RepositoryRoot(), "bench", "results"),
        int.Parse(Option(args, "--mutations") ?? "200", CultureInfo.InvariantCulture),
        TimeSpan.FromMilliseconds(double.Parse(Option(args, "--interval-ms") ?? "50", CultureInfo.InvariantCulture)),
        int.Parse(Option(args, "--coalesce-ms") ?? "1000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--coalesce-idle-ms") ?? "250", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--coalesce-deliveries") ?? "12", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--concurrent-refreshes") ?? "4", CultureInfo.InvariantCulture), args.Contains("--postgres")).RunAsync(CancellationToken.None);
if (args.Length >= 3 && args[0] == "rss-child") return await Bench.RssChildAsync(new Uri(args[1]), args[2]);
if (args.Length == 0 || !Bench.Sets.TryGetValue(args[0], out var set))
{
    Console.Error.WriteLine($"usage: Pulse.Bench {string.Join(" | ", Bench.Sets.Keys)} [--rss 5000,10000,50000] [--out DIR]");
    return 2;
}
var rss = Option(args, "--rss") is { } r ? r.Split(',').Select(int.Parse).ToArray() : set.RssSizes;
var output = Option(args, "--out") ?? Path.Combine(Bench.RepositoryRoot(), "bench", "results");
var bench = new Bench(set with { RssSizes = rss }, output);
return args.Contains("--rss-only") ? await bench.RssOnlyAsync(CancellationToken.None) : await bench.RunAsync(args, CancellationToken.None);

static string? Option(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

namespace Pulse.Bench
{
    /// <summary>One standard data set and the knobs of its runs.</summary>
    public sealed record BenchSet(string Name, string Spec, int ChangedPrs, string NoChangeSpec, int[] RssSizes, TimeSpan LatencyWindow, int WindowsNeeded, int Parallelism);

    public sealed class Bench(BenchSet set, string outputDirectory)
    {
        internal const string Owner = SyntheticDataset.OrganizationLogin;

        public static readonly Dictionary<string, BenchSet> Sets = new()
        {
            // repos=N+1: the generator gives its last repository to a user, so the organisation holds N.
            ["bench-small"] = new("bench-small", "repos=4,prs=300,seed=7,tails=heavy,big_body=false", 10,
                "repos=51,prs=500,seed=5,tails=none", [], TimeSpan.FromSeconds(10), 3, 4),
            ["bench-org"] = new("bench-org", "repos=21,prs=10133,seed=7,tails=heavy,extreme=5", 50,
                "repos=51,prs=2000,seed=5,tails=none", [5_000, 10_000], TimeSpan.FromSeconds(60), 4, 4),
        };

        private readonly JsonObject _result = new();
        private readonly List<string> _log = [];

        public async Task<int> RunAsync(string[] args, CancellationToken ct)
        {
            var spec = SyntheticSpec.Parse(set.Spec);
            _result["name"] = set.Name;
            _result["measuredAtUtc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture);
            _result["machine"] = new JsonObject
            {
                ["processorCount"] = Environment.ProcessorCount,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                ["loadAverageAtStart"] = LoadAverage(),
                ["note"] = "2-core machine shared with other builds: throughput is noisy; ratios are from the same run.",
            };
            _result["dataset"] = new JsonObject { ["spec"] = spec.ToString(), ["owner"] = Owner };
            Say($"{set.Name}: {spec}");

            // Points are counted on a simulator without pacing and with secondary limits, timeouts and resource limits relaxed,
            // so every extractor finishes quickly; the latency run below uses GitHub's secondary limits.
            var counting = new SimulatorOptions
            {
                Synthetic = spec, ProcessingTimeScale = 0, PointsPerHour = 100_000_000, RequestsPerMinutePerToken = 100_000_000,
                CpuBudget = TimeSpan.FromDays(1), MaxConcurrentRequestsPerToken = 1_000,
                // No timeout and no resource limit either: the baselines' nested pages would not go through (bench-org-timing.md measures those limits).
                Timeout = TimeSpan.FromDays(1), ResourceBudget = null,
            };
            var watch = Stopwatch.StartNew();
            await using (var sim = await GitHubSimulatorServer.StartAsync(counting, ct))
            {
                Say($"simulator up in {watch.Elapsed.TotalSeconds:F1} s: {JsonSerializer.Serialize(sim.DataCounts)}");
                using var control = new SimControl(sim.BaseUrl);
                _result["dataset"]!["simulatorCounts"] = await control.CountsAsync(ct);

                // (a) the seed's strategy.
                await control.ResetAsync(ct);
                DataShape seedShape;
                Counters seed;
                using (var client = new GraphQLHttp(sim.GraphQLUrl, "sim-token"))
                {
                    watch.Restart();
                    seedShape = await new SeedBaseline(client, Owner, set.Parallelism).RunAsync(ct);
                    seed = await control.StatsAsync(ct);
                    _result["seed"] = Figures(seed, watch.Elapsed, seedShape.Prs);
                }
                Say($"(a) seed: {seed.Points} points, {seed.Requests} requests; {seedShape.Totals()}");
                _result["dataset"]!["shape"] = JsonSerializer.SerializeToNode(seedShape.Summary());

                // (b) the original's shipped strategy, then its missing review-thread comments.
                await control.ResetAsync(ct);
                DataShape originalShape;
                Counters original, originalComplete;
                using (var client = new GraphQLHttp(sim.GraphQLUrl, "sim-token"))
                {
                    watch.Restart();
                    var baseline = new OriginalBaseline(client, Owner, set.Parallelism);
                    originalShape = await baseline.RunAsync(ct);
                    original = await control.StatsAsync(ct);
                    _result["original"] = Figures(original, watch.Elapsed, originalShape.Prs);
                    await baseline.ThreadCommentsAsync(ct);
                    originalComplete = await control.StatsAsync(ct);
                    _result["originalComplete"] = Figures(originalComplete, watch.Elapsed, originalShape.Prs);
                }
                var agree = originalShape.SameTotalsAs(seedShape);
                _result["original"]!["note"] = "as shipped: no review-thread comments";
                _result["originalComplete"]!["note"] = "as shipped + one follow-up query per review thread for its comments";
                _result["originalComplete"]!["sameItemsAsSeed"] = agree;
                Say($"(b) original: {original.Points} points ({originalComplete.Points} with thread comments); {originalShape.Totals()}; agrees with (a): {agree}");

                // (c) the lower bound from the shape.
                var (lbRequests, lbPoints) = LowerBound.Of(seedShape);
                _result["lowerBound"] = new JsonObject
                {
                    ["requests"] = lbRequests, ["points"] = lbPoints,
                    ["pointsPer1000Prs"] = Round(lbPoints * 1000.0 / seedShape.Prs),
                    ["formula"] = "R = ceil(repos/100) + Σ_repo ceil(prs/100) + Σ_PR Σ_{commits,reviews,comments,reviewThreads,labels} ceil(n/100) + Σ_PR max(1, ceil(timelineEvents/100)) + Σ_thread ceil(comments/100); points = ceil(R/149)",
                    ["pointsWithRounds"] = LowerBound.WithRounds(seedShape),
                    ["formulaWithRounds"] = "(c') 2 + ceil((R - discovery pages - first listing page of each repository) / 149): the discovery query and the first listing query cannot carry follow-ups, whose ids they reveal",
                    ["assumptions"] = "totalCount-only nested connections are free (recorded answer, simulator); any requests may share a query; 1 point per query of <= 149 requests",
                };
                Say($"(c) lower bound: {lbRequests} requests, {lbPoints} points");

                // Pulse: full sync, no-change re-sync, re-sync after K changed PRs.
                await using var pulse = new PulseRun();
                await control.ResetAsync(ct);
                var load = LoadAverage();
                var (full, fullElapsed) = await pulse.SyncAsync(sim.GraphQLUrl, Owner, null, ct);
                var fullCounters = await control.StatsAsync(ct);
                var rows = await pulse.RowsAsync();
                var complete = rows.Matches(seedShape);
                var pulseFull = Figures(fullCounters, fullElapsed, rows.Prs);
                pulseFull["succeeded"] = full.Succeeded;
                pulseFull["completeVersusSeed"] = complete;
                pulseFull["rows"] = rows.Rows;
                pulseFull["rowCounts"] = rows.Totals();
                pulseFull["prsPerSecond"] = Round(rows.Prs / fullElapsed.TotalSeconds);
                pulseFull["rowsPerSecond"] = Round(rows.Rows / fullElapsed.TotalSeconds);
                pulseFull["loadAverageBefore"] = load;
                pulseFull["loadAverageAfter"] = LoadAverage();
                pulseFull["stageTimeline"] = new JsonArray([.. (await pulse.StageTimelineAsync()).Select(t => (JsonNode)t!)]);
                _result["pulse"] = pulseFull;
                Say($"pulse full: {fullCounters.Points} points, {fullCounters.Requests} requests, {fullElapsed.TotalSeconds:F1} s, {rows.Totals()}, complete: {complete} {full.Error}");
                await WarmSyncAsync(sim.GraphQLUrl, control, seedShape, ct);
                // Before the mutations below: the distributed run fetches the same data as the embedded one.
                if (!args.Contains("--no-distributed")) await DistributedAsync(sim.GraphQLUrl, control, seedShape, ct);

                await control.ResetAsync(ct);
                var (noChange, noChangeElapsed) = await pulse.SyncAsync(sim.GraphQLUrl, Owner, null, ct);
                var noChangeCounters = await control.StatsAsync(ct);
                _result["pulseNoChange"] = Figures(noChangeCounters, noChangeElapsed, null);
                _result["pulseNoChange"]!["succeeded"] = noChange.Succeeded;
                _result["pulseNoChange"]!["repositories"] = rows.Repositories;
                Say($"pulse no-change: {noChangeCounters.Points} points, {noChangeCounters.Requests} requests");

                var changed = seedShape.PullRequests.Values.OrderBy(p => p.Repository, StringComparer.Ordinal).ThenBy(p => p.Number)
                    .Where((_, i) => i % Math.Max(1, seedShape.PullRequests.Count / set.ChangedPrs) == 0).Take(set.ChangedPrs).ToList();
                for (var i = 0; i < changed.Count; i++)
                {
                    var pr = changed[i];
                    await control.MutateAsync(i % 2 == 0
                        ? new JsonObject { ["op"] = "edit_pr", ["owner"] = Owner, ["repo"] = pr.Repository, ["number"] = pr.Number, ["fields"] = new JsonObject { ["title"] = $"Edited by the benchmark {i}" } }
                        : new JsonObject { ["op"] = "add_comment", ["owner"] = Owner, ["repo"] = pr.Repository, ["number"] = pr.Number,
                            ["comment"] = new JsonObject { ["body"] = $"Benchmark comment {i}", ["author"] = new JsonObject { ["__typename"] = "User", ["login"] = "bench" } } }, ct);
                }
                await control.ResetAsync(ct);
                var (changedRun, changedElapsed) = await pulse.SyncAsync(sim.GraphQLUrl, Owner, null, ct);
                var changedCounters = await control.StatsAsync(ct);
                var rowsAfter = await pulse.RowsAsync();
                _result["pulseChanged"] = Figures(changedCounters, changedElapsed, null);
                _result["pulseChanged"]!["changedPrs"] = changed.Count;
                _result["pulseChanged"]!["succeeded"] = changedRun.Succeeded;
                _result["pulseChanged"]!["issueCommentsAdded"] = rowsAfter.IssueComments - rows.IssueComments;
                Say($"pulse after {changed.Count} changed PRs: {changedCounters.Points} points, {changedCounters.Requests} requests; +{rowsAfter.IssueComments - rows.IssueComments} comments");
            }

            await NoChangeOf50Async(ct);
            await LatencyAsync(spec, ct);
            await RssAsync(spec, ct);

            _result["machine"]!["loadAverageAtEnd"] = LoadAverage();
            _result["ratios"] = Ratios();
            _result["targets"] = Targets();
            Directory.CreateDirectory(outputDirectory);
            var jsonPath = Path.Combine(outputDirectory, set.Name + ".json");
            await File.WriteAllTextAsync(jsonPath, _result.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n", ct);
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, set.Name + ".md"), Markdown.Render(_result), ct);
            Say($"wrote {jsonPath} and {set.Name}.md");
            return 0;
        }

        /// <summary>Only the peak-RSS measurements (e.g. the 50k size, which takes long), in a file of their own.</summary>
        public async Task<int> RssOnlyAsync(CancellationToken ct)
        {
            var spec = SyntheticSpec.Parse(set.Spec);
            _result["name"] = set.Name + "-rss";
            _result["measuredAtUtc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture);
            _result["loadAverageAtStart"] = LoadAverage();
            await RssAsync(spec, ct);
            _result["loadAverageAtEnd"] = LoadAverage();
            Directory.CreateDirectory(outputDirectory);
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, set.Name + "-rss.json"), _result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", ct);
            var md = new System.Text.StringBuilder($"# {set.Name}: peak RSS of a full sync in its own process — measured {_result["measuredAtUtc"]}\n\n| PRs | peak RSS | peak live managed heap | GC | PRs/s | seconds | load average before |\n|---:|---:|---:|---|---:|---:|---|\n");
            foreach (var r in (JsonArray)_result["peakRss"]!)
                md.Append($"| {r!["prs"]} | {r["peakRssMb"]} MB | {r["peakLiveManagedMb"]} MB | {r["gc"]} | {r["prsPerSecond"]} | {r["seconds"]} | {r["loadAverageBefore"]} |\n");
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, set.Name + "-rss.md"), md.ToString(), ct);
            return 0;
        }

        /// <summary>
        /// The same full sync on the distributed deployment: PostgreSQL + RabbitMQ, its stages in two `pulse worker` processes of
        /// one consumer per stage each (as many consumers as the embedded sync runs).
        /// </summary>
        private async Task DistributedAsync(Uri graphQLUrl, SimControl control, DataShape seedShape, CancellationToken ct)
        {
            const int processes = 2, workers = 1;
            await control.ResetAsync(ct);
            await using var distributed = new DistributedRun();
            var load = LoadAverage();
            var (run, elapsed) = await distributed.SyncAsync(graphQLUrl, Owner, workers, ct, processes);
            var counters = await control.StatsAsync(ct);
            var rows = await distributed.RowsAsync();
            var figures = Figures(counters, elapsed, rows.Prs);
            figures["succeeded"] = run.Succeeded;
            figures["workers"] = $"{processes} pulse worker processes, each {workers} extract + {workers} transform consumer, over the broker";
            figures["workerProcessesCpuSeconds"] = Round(distributed.WorkerCpu.TotalSeconds);
            figures["completeVersusSeed"] = rows.Matches(seedShape);
            figures["rows"] = rows.Rows;
            figures["prsPerSecond"] = Round(rows.Prs / elapsed.TotalSeconds);
            figures["rowsPerSecond"] = Round(rows.Rows / elapsed.TotalSeconds);
            figures["loadAverageBefore"] = load;
            figures["loadAverageAfter"] = LoadAverage();
            _result["pulseDistributed"] = figures;
            Say($"pulse distributed: {elapsed.TotalSeconds:F1} s, {rows.Totals()}, complete: {rows.Matches(seedShape)} {run.Error}");
        }

        /// <summary>A no-change re-sync of 50 repositories (a data set of its own: the standard ones have fewer).</summary>
        private async Task NoChangeOf50Async(CancellationToken ct)
        {
            var spec = SyntheticSpec.Parse(set.NoChangeSpec);
            await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, PointsPerHour = 100_000_000 }, ct);
            using var control = new SimControl(sim.BaseUrl);
            await using var pulse = new PulseRun();
            var (first, _) = await pulse.SyncAsync(sim.GraphQLUrl, Owner, null, ct);
            var rows = await pulse.RowsAsync();
            await control.ResetAsync(ct);
            var (again, elapsed) = await pulse.SyncAsync(sim.GraphQLUrl, Owner, null, ct);
            var counters = await control.StatsAsync(ct);
            _result["pulseNoChange50"] = Figures(counters, elapsed, null);
            _result["pulseNoChange50"]!["spec"] = spec.ToString();
            _result["pulseNoChange50"]!["repositories"] = rows.Repositories;
            _result["pulseNoChange50"]!["succeeded"] = first.Succeeded && again.Succeeded;
            Say($"pulse no-change of {rows.Repositories} repositories: {counters.Points} points, {counters.Requests} requests");
        }

        /// <summary>
        /// Full sync with 300 ms latency per request under a points budget, GitHub's secondary limits in force.
        /// The budget window is scaled (RateWindow seconds instead of an hour) so that the run needs several windows.
        /// </summary>
        private async Task LatencyAsync(SyntheticSpec spec, CancellationToken ct)
        {
            var needed = (long)_result["pulse"]!["points"]!;
            var perWindow = (int)Math.Max(1, Math.Ceiling(needed / (double)set.WindowsNeeded));
            var options = new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(300), PointsPerHour = perWindow, RateWindow = set.LatencyWindow };
            await using var sim = await GitHubSimulatorServer.StartAsync(options, ct);
            using var control = new SimControl(sim.BaseUrl);
            await using var pulse = new PulseRun();
            var load = LoadAverage();
            var (run, elapsed) = await pulse.SyncAsync(sim.GraphQLUrl, Owner,
                new RateLimitBudgetOptions { Window = set.LatencyWindow, ResetMargin = TimeSpan.FromMilliseconds(500) }, ct);
            var counters = await control.StatsAsync(ct);
            var rows = await pulse.RowsAsync();
            var budgetSeconds = counters.Points / (perWindow / set.LatencyWindow.TotalSeconds);
            var figures = Figures(counters, elapsed, rows.Prs);
            figures["latencyMs"] = 300;
            figures["pointsPerWindow"] = perWindow;
            figures["windowSeconds"] = set.LatencyWindow.TotalSeconds;
            figures["pointsNeededOverBudgetSeconds"] = Round(budgetSeconds);
            figures["wallOverBudgetTime"] = Round(elapsed.TotalSeconds / budgetSeconds, 3);
            figures["secondaryLimitHits"] = counters.Secondary;
            figures["rateLimitedAnswers"] = counters.Errors.GetValueOrDefault("rate_limited");
            figures["succeeded"] = run.Succeeded;
            figures["prs"] = rows.Prs;
            figures["loadAverageBefore"] = load;
            figures["loadAverageAfter"] = LoadAverage();
            _result["pulseLatency"] = figures;
            Say($"pulse latency run: {elapsed.TotalSeconds:F1} s for {counters.Points} points at {perWindow}/{set.LatencyWindow.TotalSeconds} s (budget time {budgetSeconds:F1} s); secondary hits {counters.Secondary}");
        }

        /// <summary>Peak RSS of Pulse's sync at several sizes, each sync in a child process of its own.</summary>
        private async Task RssAsync(SyntheticSpec spec, CancellationToken ct)
        {
            var results = new JsonArray();
            foreach (var size in set.RssSizes)
            {
                var sizeSpec = spec with { PullRequests = size };
                await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = sizeSpec, ProcessingTimeScale = 0, PointsPerHour = 100_000_000, RequestsPerMinutePerToken = 100_000_000, CpuBudget = TimeSpan.FromDays(1) }, ct);
                var load = LoadAverage();
                var child = await RunChildAsync(sim.GraphQLUrl, ct);
                child["spec"] = sizeSpec.ToString();
                child["loadAverageBefore"] = load;
                results.Add(child);
                Say($"rss at {size} PRs: {child.ToJsonString()}");
            }
            _result["peakRss"] = results;
        }

        private static async Task<JsonObject> RunChildAsync(Uri url, CancellationToken ct)
        {
            var self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            foreach (var a in new[] { "rss-child", url.ToString(), Owner }) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var text = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return JsonNode.Parse(text.Trim().Split('\n')[^1])!.AsObject();
        }

        public static async Task<int> RssChildAsync(Uri url, string owner)
        {
            await using var pulse = new PulseRun();
            using var fullGcs = new FullGcWatch();
            var (result, elapsed) = await pulse.SyncAsync(url, owner, null, CancellationToken.None);
            // Read before the row counts below: the peak of the sync, not of the bench's own queries.
            var status = File.ReadAllLines("/proc/self/status");
            long Kb(string key) => long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            var peakLive = fullGcs.PeakLiveMb;
            var rows = await pulse.RowsAsync();
            Console.WriteLine(new JsonObject
            {
                ["prs"] = rows.Prs, ["rows"] = rows.Rows, ["succeeded"] = result.Succeeded, ["seconds"] = Round(elapsed.TotalSeconds),
                ["peakRssMb"] = Round(Kb("VmHWM") / 1024.0), ["peakLiveManagedMb"] = Round(peakLive),
                ["gc"] = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation", ["prsPerSecond"] = Round(rows.Prs / elapsed.TotalSeconds),
            }.ToJsonString());
            return result.Succeeded ? 0 : 1;
        }

        private JsonObject Ratios()
        {
            double P(string key) => (double)(long)_result[key]!["points"]!;
            var pulse = P("pulse");
            return new JsonObject
            {
                ["pulseOverSeed"] = Round(pulse / P("seed"), 4),
                ["pulseOverOriginalAsShipped"] = Round(pulse / P("original"), 4),
                ["pulseOverOriginalComplete"] = Round(pulse / P("originalComplete"), 4),
                ["pulseOverLowerBound"] = Round(pulse / P("lowerBound"), 4),
                ["pulseOverLowerBoundWithRounds"] = Round(pulse / (long)_result["lowerBound"]!["pointsWithRounds"]!, 4),
            };
        }

        /// <summary>
        /// The same full sync again, into a fresh database, in this process: the steady state of a long-running `pulse serve`
        /// or `pulse worker`. The first sync above also pays for compiling Pulse's code (JIT), as a one-shot `pulse sync` does.
        /// </summary>
        private async Task WarmSyncAsync(Uri graphQLUrl, SimControl control, DataShape seedShape, CancellationToken ct)
        {
            await using var warm = new PulseRun();
            await control.ResetAsync(ct);
            var load = LoadAverage();
            var (run, elapsed) = await warm.SyncAsync(graphQLUrl, Owner, null, ct);
            var rows = await warm.RowsAsync();
            _result["pulseWarm"] = new JsonObject
            {
                ["succeeded"] = run.Succeeded, ["completeVersusSeed"] = rows.Matches(seedShape), ["rows"] = rows.Rows, ["seconds"] = Round(elapsed.TotalSeconds),
                ["prsPerSecond"] = Round(rows.Prs / elapsed.TotalSeconds), ["rowsPerSecond"] = Round(rows.Rows / elapsed.TotalSeconds),
                ["loadAverageBefore"] = load, ["loadAverageAfter"] = LoadAverage(),
            };
            Say($"pulse full, warm: {elapsed.TotalSeconds:F1} s, {rows.Prs / elapsed.TotalSeconds:F0} PRs/s, complete: {rows.Matches(seedShape)}");
        }

        private JsonObject Targets()
        {
            var ratios = (JsonObject)_result["ratios"]!;
            var lb = (double)ratios["pulseOverLowerBound"]!;
            var orig = (double)ratios["pulseOverOriginalAsShipped"]!;
            var noChange50 = (long)_result["pulseNoChange50"]!["points"]!;
            var prsPerSecond = (double)_result["pulse"]!["prsPerSecond"]!;
            var warmPrsPerSecond = (double)_result["pulseWarm"]!["prsPerSecond"]!;
            var latency = _result["pulseLatency"]!;
            var peak = ((JsonArray)_result["peakRss"]!).Select(n => (double)n!["peakRssMb"]!).DefaultIfEmpty(0).Max();
            return new JsonObject
            {
                ["pointsWithin1.1xLowerBound"] = Verdict(lb <= 1.1, $"{lb:F3}x"),
                ["pointsAtMost0.3xOriginal"] = Verdict(orig <= 0.3, $"{orig:F3}x (as shipped)"),
                ["complete"] = Verdict((bool)_result["pulse"]!["completeVersusSeed"]!, (string)_result["pulse"]!["rowCounts"]!),
                ["noChangeOf50ReposAtMost2Points"] = Verdict(noChange50 <= 2, $"{noChange50} points"),
                ["atLeast1000PrsPerSecond"] = Verdict(warmPrsPerSecond >= 1000,
                    $"{warmPrsPerSecond:F0} PRs/s warm (a running serve or worker); the first sync of a fresh process, JIT included: {prsPerSecond:F0} PRs/s"),
                // Issue 11: the distributed mode's own target, with its ratio to the embedded sync of the same run (the load moves both).
                ["distributedAtLeast1000PrsPerSecond"] = _result["pulseDistributed"]?["prsPerSecond"] is { } d
                    ? Verdict((double)d >= 1000, $"{(double)d:F0} PRs/s, {(double)d / prsPerSecond:F2}x the embedded first sync of this run")
                    : "not measured",
                ["zeroSecondaryHitsInLatencyRun"] = Verdict((long)latency["secondaryLimitHits"]! == 0, $"{(long)latency["secondaryLimitHits"]!} hits"),
                ["latencyRunWithin1.1xBudgetTime"] = Verdict((double)latency["wallOverBudgetTime"]! <= 1.1, $"{(double)latency["wallOverBudgetTime"]!:F3}x"),
                ["peakRssAtMost500Mb"] = set.RssSizes.Length == 0 ? "not measured" : Verdict(peak <= 500, $"max {peak:F0} MB at {string.Join("/", set.RssSizes)} PRs"),
            };
        }

        private static string Verdict(bool met, string figure) => (met ? "met: " : "MISSED: ") + figure;

        private static JsonObject Figures(Counters c, TimeSpan elapsed, long? prs)
        {
            var o = new JsonObject
            {
                ["points"] = c.Points, ["requests"] = c.Requests, ["nodes"] = c.Nodes, ["seconds"] = Round(elapsed.TotalSeconds),
                ["secondaryLimitHits"] = c.Secondary, ["timeouts"] = c.Timeouts,
                ["errors"] = JsonSerializer.SerializeToNode(c.Errors.Where(e => e.Value != 0).ToDictionary()),
            };
            if (prs is > 0) o["pointsPer1000Prs"] = Round(c.Points * 1000.0 / prs.Value);
            return o;
        }

        private void Say(string line)
        {
            var text = $"[{DateTime.Now:HH:mm:ss}] (load {LoadAverage()}) {line}";
            _log.Add(text);
            Console.WriteLine(text);
        }

        public static double Round(double value, int digits = 2) => Math.Round(value, digits);

        public static string LoadAverage() =>
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

        public static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Pulse.slnx"))) return dir.FullName;
            return Directory.GetCurrentDirectory();
        }
    }
}
