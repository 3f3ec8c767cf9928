using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Pulse.Embeddings.Onnx;
using GeneratedEmbeddingsOfFloat = Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// Texts/s of <see cref="MiniLmEmbeddingGenerator"/> against every <see cref="RawBaseline"/> configuration, on the
/// same distinct texts (so the generator's de-duplication saves nothing), interleaved slice by slice.
/// </summary>
internal static class TextsBench
{
    public static async Task<JsonObject> RunAsync(GitHubTexts corpus, int count, int rounds)
    {
        string[] texts = corpus.Mix(count, seed: 42);
        // The raw side reads what the generator's tokenizer reads: the same prepared (comment-free) text.
        var tokenizer = MiniLmModel.Shared.Tokenizer;
        long[][] tokens = texts.Select(t => tokenizer.Encode(EmbeddingText.Prepare(t))).ToArray();

        using var raw = new RawBaseline();
        using var generator = new MiniLmEmbeddingGenerator();
        var configs = RawBaseline.Configs();
        foreach (var config in configs)
        {
            raw.Embed(config, tokens[..8]);   // sessions created and warmed before any clock
        }
        await generator.GenerateAsync(texts[..8]);

        // Fine-grained interleaving: every variant embeds slice k before any variant moves on to slice k + 1, starting
        // from a different variant each time, so load from the machine's other users falls on all of them alike.
        var seconds = configs.ToDictionary(c => c.Name, _ => new List<double>());
        var generatorSeconds = new List<double>();
        float maxDifference = 0;
        int slices = (texts.Length + SliceSize - 1) / SliceSize;
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < slices; k++)
            {
                var range = new Range(k * SliceSize, Math.Min(texts.Length, (k + 1) * SliceSize));
                float[][] reference = [];
                for (int v = 0; v <= configs.Count; v++)
                {
                    int variant = (v + k + round) % (configs.Count + 1);
                    var watch = Stopwatch.StartNew();
                    if (variant == configs.Count)
                    {
                        var embedded = await generator.GenerateAsync(texts[range]);
                        generatorSeconds.Add(watch.Elapsed.TotalSeconds);
                        if (reference.Length > 0) maxDifference = Math.Max(maxDifference, MaxDifference(embedded, reference));
                    }
                    else
                    {
                        reference = raw.Embed(configs[variant], tokens[range]);
                        seconds[configs[variant].Name].Add(watch.Elapsed.TotalSeconds);
                    }
                }
            }
            Console.WriteLine($"round {round + 1}: generator {texts.Length * (round + 1) / generatorSeconds.Sum():F1} texts/s; "
                + string.Join("; ", configs.Select(c => $"{c.Name} {texts.Length * (round + 1) / seconds[c.Name].Sum():F1}")) + $" (load {Load.Average()})");
        }
        var rates = configs.ToDictionary(c => c.Name, c => texts.Length * rounds / seconds[c.Name].Sum());
        double generatorRate = texts.Length * rounds / generatorSeconds.Sum();

        var best = configs.MaxBy(c => rates[c.Name])!;
        int totalTokens = tokens.Sum(t => t.Length);
        return new JsonObject
        {
            ["texts"] = texts.Length,
            ["distinct"] = texts.Distinct().Count(),
            ["meanCharacters"] = Math.Round(texts.Average(t => t.Length), 1),
            ["textsOver2000Characters"] = texts.Count(t => t.Length > 2_000),
            ["meanTokens"] = Math.Round(tokens.Average(t => t.Length), 1),
            ["textsAtTheWindow"] = tokens.Count(t => t.Length == EmbeddingModelInfo.MaxTokens),
            ["rounds"] = rounds,
            ["sliceSize"] = SliceSize,
            ["raw"] = new JsonArray([.. configs.Select(c => (JsonNode)new JsonObject
            {
                ["config"] = c.Name, ["threads"] = c.Threads, ["spinning"] = c.Spinning,
                ["textsPerSecond"] = Math.Round(rates[c.Name], 1),
                ["sliceRatesMinMax"] = SliceSpread(range: seconds[c.Name]),
            })]),
            ["bestRaw"] = best.Name,
            ["bestRawTextsPerSecond"] = Math.Round(rates[best.Name], 1),
            ["bestRawTokensPerSecond"] = Math.Round(rates[best.Name] * totalTokens / texts.Length),
            ["generator"] = new JsonObject
            {
                ["maxBatchTokens"] = generator.MaxBatchTokens, ["maxBatchRows"] = generator.MaxBatchRows,
                ["textsPerSecond"] = Math.Round(generatorRate, 1),
                ["sliceRatesMinMax"] = SliceSpread(generatorSeconds),
            },
            ["generatorOverBestRaw"] = Math.Round(generatorRate / rates[best.Name], 3),
            ["maxAbsDifferenceToRaw"] = maxDifference,
            ["peakRssMb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
        };
    }

    private const int SliceSize = 50;

    private static float MaxDifference(GeneratedEmbeddingsOfFloat embedded, float[][] reference) =>
        Enumerable.Range(0, reference.Length).Max(i => embedded[i].Vector.Span.ToArray().Zip(reference[i]).Max(p => Math.Abs(p.First - p.Second)));

    /// <summary>How much a variant's rate swung from slice to slice (seconds per slice, as texts/s of a full slice).</summary>
    private static string SliceSpread(List<double> range) =>
        $"{SliceSize / range.Max():F1}–{SliceSize / range.Min():F1}";
}

internal static class Load
{
    public static string Average() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
