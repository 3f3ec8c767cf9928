using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using Pulse.Embeddings.Onnx;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// Full `pulse sync` runs with embeddings (<see cref="SyncRun"/>) on a data set, a no-change re-sync after them, a
/// run without embeddings for comparison, and the raw model's rate on the very texts the sync embedded, measured in
/// this process right after (the best raw configuration of <c>embeddings.json</c>).
/// </summary>
internal static class SyncBench
{
    /// <param name="limit">
    /// Stops the sync with embeddings after this long (bench-org on a loaded shared machine: its ~170,000 texts take
    /// hours there); the figures are then of the part that ran, and no re-sync follows.
    /// </param>
    public static async Task<JsonObject> RunAsync(string root, string set, GitHubTexts corpus, string results, TimeSpan? limit, CancellationToken ct)
    {
        string work = Directory.CreateTempSubdirectory("pulse-embed-bench-").FullName;
        try
        {
            var options = new SimulatorOptions { ProcessingTimeScale = 0, PointsPerHour = 100_000_000, RequestsPerMinutePerToken = 100_000_000, CpuBudget = TimeSpan.FromDays(1) };
            var result = new JsonObject { ["set"] = set };
            switch (set)
            {
                case "bench-small": options = options with { Synthetic = SyntheticSpec.Parse("repos=4,prs=300,seed=7,tails=heavy,big_body=false") }; break;
                case "bench-org": options = options with { Synthetic = SyntheticSpec.Parse("repos=21,prs=10133,seed=7,tails=heavy,extreme=5") }; break;
                case "long":
                    string file = Path.Combine(work, "long-texts.json");
                    result["textsInDataSet"] = LongTextDataset.Write(corpus, file);
                    result["structure"] = LongTextDataset.Structure.ToString();
                    options = options with { DatasetPath = file };
                    break;
                default: throw new ArgumentException($"Unknown set '{set}': bench-small, bench-org or long.");
            }
            result["dataset"] = options.DatasetPath is null ? options.Synthetic.ToString() : "long-text data set (LongTextDataset)";
            await using var sim = await GitHubSimulatorServer.StartAsync(options, ct);
            string cli = await CopyOfCliAsync(root, work, ct);

            result["withoutEmbeddings"] = Figures(await Timed(() => SyncRun.RunAsync(cli, sim.GraphQLUrl, SyntheticDataset.OrganizationLogin, Path.Combine(work, "plain.db"), false, null, ct)));
            string db = Path.Combine(work, "embedded.db");
            var full = await Timed(() => SyncRun.RunAsync(cli, sim.GraphQLUrl, SyntheticDataset.OrganizationLogin, db, true, limit, ct));
            result["withEmbeddings"] = Figures(full);
            if (full.Result.Completed)
            {
                var again = await Timed(() => SyncRun.RunAsync(cli, sim.GraphQLUrl, SyntheticDataset.OrganizationLogin, db, true, null, ct));
                result["noChangeResync"] = Figures(again);
            }

            string bestRaw = (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(results, "embeddings.json")))?["bestRaw"] ?? "batch 4";
            var (texts, rate, cpuPerText) = await RawRateAsync(db, bestRaw);
            result["rawOnSyncTexts"] = new JsonObject
            {
                ["config"] = bestRaw, ["textsTimed"] = texts, ["textsPerSecond"] = Math.Round(rate, 1),
                ["cpuMillisecondsPerText"] = Math.Round(cpuPerText * 1000, 1), ["loadAverageAfter"] = Load.Average(),
            };
            // Load-independent: the CPU the sync spent on embedding (with minus without) per text, over the raw model's.
            double embedCpu = full.Result.CpuSeconds - ((JsonObject)result["withoutEmbeddings"]!)["cpuSeconds"]!.GetValue<double>();
            result["embedCpuPerTextOverRaw"] = full.Result.Embeddings == 0 || !full.Result.Completed ? null : Math.Round(embedCpu / full.Result.Embeddings / cpuPerText, 3);
            // The texts the sync embedded (one vector stored per non-blank text) at the raw model's rate.
            double modelSeconds = full.Result.Embeddings / rate;
            result["embedStageOverTextsByRawRate"] = full.Result.Completed && full.Result.EmbedStageSeconds is double s ? Math.Round(s / modelSeconds, 3) : null;
            result["withOverWithoutEmbeddings"] = Math.Round(full.Result.Seconds / ((JsonObject)result["withoutEmbeddings"]!)["seconds"]!.GetValue<double>(), 2);
            return result;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private const int RawSample = 3_000;

    private static async Task<(SyncRun.Result Result, string LoadBefore)> Timed(Func<Task<SyncRun.Result>> run)
    {
        string load = Load.Average();
        var result = await run();
        Console.WriteLine($"{result} (load {load} → {Load.Average()})");
        return (result, load);
    }

    private static JsonObject Figures((SyncRun.Result Result, string LoadBefore) run) => new()
    {
        ["seconds"] = Math.Round(run.Result.Seconds, 1),
        ["cpuSeconds"] = Math.Round(run.Result.CpuSeconds, 1),
        ["peakRssMb"] = run.Result.PeakRssMb,
        ["exitCode"] = run.Result.ExitCode,
        ["completed"] = run.Result.Completed,
        ["stages"] = run.Result.StageStates,
        ["embedStageSeconds"] = run.Result.EmbedStageSeconds is double s ? Math.Round(s, 1) : null,
        ["embeddingsStored"] = run.Result.Embeddings,
        ["embedWorkItemsOfThisRun"] = run.Result.EmbedWorkItems,
        ["loadAverageBefore"] = run.LoadBefore,
        ["loadAverageAfter"] = Load.Average(),
    };

    /// <summary>The texts the sync embedded, read back from its database, through the raw model: one timed pass.</summary>
    private static async Task<(int Texts, double Rate, double CpuSecondsPerText)> RawRateAsync(string databaseFile, string configName)
    {
        await using var db = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly");
        var texts = (await db.QueryAsync<(string Title, string? Body)>("SELECT title, body FROM prs")).Select(p => Pulse.Core.Embed.EmbeddingText.PullRequest(p.Title, p.Body))
            .Concat(await db.QueryAsync<string>("SELECT message FROM prs_commits"))
            .Concat(await db.QueryAsync<string>("SELECT body FROM prs_reviews"))
            .Concat(await db.QueryAsync<string>("SELECT body FROM prs_comments"))
            .Where(t => !string.IsNullOrWhiteSpace(t)).ToArray();
        // A large organisation's texts are sampled (seeded): the rate of 3,000 of them stands for all.
        if (texts.Length > RawSample)
        {
            new Random(3).Shuffle(texts);
            texts = texts[..RawSample];
        }
        var tokenizer = MiniLmModel.Shared.Tokenizer;
        long[][] tokens = texts.Select(t => tokenizer.Encode(EmbeddingText.Prepare(t))).ToArray();
        using var raw = new RawBaseline();
        var config = RawBaseline.Configs().Single(c => c.Name == configName);
        raw.Embed(config, tokens[..8]);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        raw.Embed(config, tokens);
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return (texts.Length, texts.Length / watch.Elapsed.TotalSeconds, cpuSeconds / texts.Length);
    }

    /// <summary>
    /// Builds the CLI through the front door (`./pulse`) and copies it: a rebuild during a long run (bench-org) must
    /// not replace the files the running CLI loads. Returns the copy's pulse.dll.
    /// </summary>
    internal static async Task<string> CopyOfCliAsync(string root, string work, CancellationToken ct)
    {
        using (var build = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "pulse"), "--help"]) { RedirectStandardOutput = true, UseShellExecute = false })!)
        {
            await build.StandardOutput.ReadToEndAsync(ct);
            await build.WaitForExitAsync(ct);
        }
        string source = Path.Combine(root, ".build", "pulse");
        string copy = Path.Combine(work, "cli");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return Path.Combine(copy, "pulse.dll");
    }
}
