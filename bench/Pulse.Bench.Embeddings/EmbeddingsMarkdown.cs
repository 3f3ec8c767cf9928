using System.Text;
using System.Text.Json.Nodes;

namespace Pulse.Bench.Embeddings;

/// <summary>bench/results/embeddings.md: every figure of the embeddings bench and issue #16's targets, from the JSON files present.</summary>
internal static class EmbeddingsMarkdown
{
    public static string Render(string results)
    {
        var s = new StringBuilder("# Embeddings bench (issue #16)\n\n");
        s.AppendLine("Produced by `dotnet run -c Release --project bench/Pulse.Bench.Embeddings -- texts | profile | sync bench-small | sync long | sync bench-org`.");
        s.AppendLine("The 2-core machine is shared with other builds (load averages beside each figure): compare ratios from the same run, not absolute rates across runs.\n");
        var texts = Read(results, "embeddings.json");
        var targets = new List<string>();
        if (texts is not null)
        {
            s.AppendLine($"## Texts/s: generator beside the raw model ({texts["measuredAtUtc"]}, load at end {texts["machine"]?["loadAverageAtEnd"]})\n");
            s.AppendLine($"{texts["texts"]} distinct texts from the DevLake fixture (`GitHubTexts.Mix`): mean {texts["meanCharacters"]} characters, {texts["textsOver2000Characters"]} over 2,000; mean {texts["meanTokens"]} word pieces, {texts["textsAtTheWindow"]} at the 256 window. {texts["rounds"]} rounds over slices of {texts["sliceSize"]} texts, every variant on a slice before the next slice (rotating who goes first); a rate is texts ÷ the variant's summed seconds.\n");
            s.AppendLine("| variant | texts/s | slowest–fastest slice |\n|---|---:|---|");
            foreach (var raw in texts["raw"]!.AsArray())
                s.AppendLine($"| raw ORT, sorted, 256 window: {raw!["config"]} | {raw["textsPerSecond"]} | {raw["sliceRatesMinMax"]} |");
            var g = texts["generator"]!;
            s.AppendLine($"| **MiniLmEmbeddingGenerator** (≤{g["maxBatchTokens"]} tokens, ≤{g["maxBatchRows"]} rows per run) | **{g["textsPerSecond"]}** | {g["sliceRatesMinMax"]} |\n");
            s.AppendLine($"Best raw: {texts["bestRaw"]} ({texts["bestRawTextsPerSecond"]} texts/s, {texts["bestRawTokensPerSecond"]} tokens/s). Max |Δ| between the generator's and the raw vectors: {texts["maxAbsDifferenceToRaw"]}. Peak RSS of the bench process: {texts["peakRssMb"]} MB.\n");
            double ratio = texts["generatorOverBestRaw"]!.GetValue<double>();
            targets.Add($"texts/s ≥ 0.8× best raw of the same run: {(ratio >= 0.8 ? "met" : "MISSED")}: {ratio:F3}×");
        }

        var profile = Read(results, "embeddings-profile.json");
        if (profile is not null)
        {
            s.AppendLine($"## Profile: where the old embedder's time and memory went ({profile["measuredAtUtc"]})\n");
            s.AppendLine("300 texts of the same mix; each variant in a process of its own. Real share = real word pieces ÷ padded positions fed to the model.\n");
            s.AppendLine("| variant | texts/s | real share | real tokens | peak RSS | load before → after |\n|---|---:|---:|---:|---:|---|");
            foreach (var v in profile["variants"]!.AsArray())
                s.AppendLine($"| {v!["variant"]} | {v["textsPerSecond"]} | {v["realShare"]} | {v["realTokens"]} | {v["peakRssMb"]} MB | {v["loadAverageBefore"]} → {v["loadAverageAfter"]} |");
            s.AppendLine();
        }

        foreach (var set in new[] { "bench-small", "long", "bench-org" })
        {
            var sync = Read(results, $"embeddings-sync-{set}.json");
            if (sync is null) continue;
            s.AppendLine($"## Full `pulse sync`, {set} ({sync["measuredAtUtc"]})\n");
            s.AppendLine($"Data set: {sync["dataset"]}{(sync["structure"] is { } st ? $" (structure `{st}`, {sync["textsInDataSet"]} texts)" : "")}. The CLI in its own process; peak RSS is its VmHWM.\n");
            s.AppendLine("| run | seconds | CPU seconds | peak RSS | embed stage | embeddings stored | embed work items of the run | stages at the end | load before → after |\n|---|---:|---:|---:|---:|---:|---:|---|---|");
            foreach (var (name, key) in new[] { ("`--no-embeddings`", "withoutEmbeddings"), ("with embeddings", "withEmbeddings"), ("no-change re-sync", "noChangeResync") })
            {
                if (sync[key] is not { } r) continue;
                string label = r["completed"]?.GetValue<bool>() == false ? $"{name} (**stopped at the time limit**)" : name;
                string stageTime = r["embeddingsStored"]!.GetValue<long>() == 0 && key == "withoutEmbeddings" ? "–" : $"{r["embedStageSeconds"]} s";
                s.AppendLine($"| {label} | {r["seconds"]} | {r["cpuSeconds"]} | {r["peakRssMb"]} MB | {stageTime} | {r["embeddingsStored"]} | {r["embedWorkItemsOfThisRun"]} | {r["stages"]} | {r["loadAverageBefore"]} → {r["loadAverageAfter"]} |");
            }
            var raw = sync["rawOnSyncTexts"]!;
            s.AppendLine($"\nRaw model on {raw["textsTimed"]} of the texts the sync embedded ({raw["config"]}, right after; a seeded sample above 3,000): {raw["textsPerSecond"]} texts/s, {raw["cpuMillisecondsPerText"]} CPU-ms per text. Embed stage ÷ (embeddings stored ÷ that rate) = {sync["embedStageOverTextsByRawRate"]}; with ÷ without embeddings = {sync["withOverWithoutEmbeddings"]}×. Load-independent: the sync's CPU for embedding (CPU with − without) per text ÷ the raw model's = {(sync["withEmbeddings"]!["completed"]?.GetValue<bool>() == false ? "– (run stopped)" : sync["embedCpuPerTextOverRaw"])}.\n");
            long peak = sync["withEmbeddings"]!["peakRssMb"]!.GetValue<long>();
            if (sync["noChangeResync"] is { } resync)
            {
                long resyncItems = resync["embedWorkItemsOfThisRun"]!.GetValue<long>();
                targets.Add($"{set}: no-change re-sync embeds nothing: {(resyncItems == 0 ? "met" : "MISSED")}: {resyncItems} embed work items");
            }
            if (set == "bench-small" && sync["embedStageOverTextsByRawRate"] is { } stage)
                targets.Add($"bench-small: embed stage within 1.5× of texts ÷ raw rate: {(stage.GetValue<double>() <= 1.5 ? "met" : "MISSED")}: {stage}×");
            if (set == "long")
            {
                double over = sync["withOverWithoutEmbeddings"]!.GetValue<double>();
                targets.Add($"long-text data set: with embeddings under 8× `--no-embeddings`: {(over < 8 ? "met" : "MISSED")}: {over}×; peak RSS ≤ 600 MB: {(peak <= 600 ? "met" : "MISSED")}: {peak} MB");
            }
            if (set == "bench-org")
            {
                bool completed = sync["withEmbeddings"]!["completed"]?.GetValue<bool>() != false;
                targets.Add($"bench-org: peak RSS of a full sync with embeddings ≤ 600 MB: {(peak <= 600 ? completed ? "met" : "met for the part that ran (stopped at the time limit)" : "MISSED")}: {peak} MB");
            }
        }

        s.AppendLine("## Targets\n");
        foreach (var t in targets) s.AppendLine("- " + t);
        return s.ToString();
    }

    private static JsonNode? Read(string results, string name) =>
        File.Exists(Path.Combine(results, name)) ? JsonNode.Parse(File.ReadAllText(Path.Combine(results, name))) : null;
}
