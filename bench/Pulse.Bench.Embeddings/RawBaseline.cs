using Microsoft.ML.OnnxRuntime;
using Pulse.Embeddings.Onnx;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// The raw model: an ONNX Runtime session on the same weights, fed correctly tokenized text (FastBertTokenizer, the
/// 256-token window) in length-sorted batches, tokenized before the clock starts, mean-pooled and normalised
/// (<see cref="MiniLmModel.Run(InferenceSession, IReadOnlyList{long[]}, RunOptions)"/>: the model's input format and
/// pooling, nothing more). The generator's tokenizing, de-duplication, planning and turn-taking do not run here; each
/// configuration is one way to cut the sorted texts and thread the session.
/// </summary>
internal sealed class RawBaseline : IDisposable
{
    private readonly Dictionary<(int Threads, bool Spinning), InferenceSession> _sessions = [];
    private readonly string _modelFile = ModelResources.ModelFile(Path.Combine(Path.GetTempPath(), "pulse-models"));

    public sealed record Config(string Name, int Threads, bool Spinning, int MaxRows, int MaxTokens);

    /// <summary>The configurations scanned: fixed batch sizes and padded-token budgets, 1 or all cores, spinning or not
    /// (in the first two scans, bench/results/embeddings-scans.md, batch 8–32, ≤1,024–4,096 tokens and spinning
    /// threads were 1.2–2.5× slower than the best and are left out to give the rest more samples).</summary>
    public static IReadOnlyList<Config> Configs()
    {
        int cores = Environment.ProcessorCount;
        return
        [
            new("batch 1", cores, false, 1, int.MaxValue),
            new("batch 4", cores, false, 4, int.MaxValue),
            new("≤256 tokens, ≤16 rows", cores, false, 16, 256),
            new("≤512 tokens, ≤16 rows", cores, false, 16, 512),
            new("batch 4, 1 thread", 1, false, 4, int.MaxValue),
        ];
    }

    /// <summary>Embeds every text once; returns the vectors in input order.</summary>
    public float[][] Embed(Config config, long[][] tokens)
    {
        var session = Session(config.Threads, config.Spinning);
        int[] order = Enumerable.Range(0, tokens.Length).OrderBy(i => tokens[i].Length).ToArray();
        var vectors = new float[tokens.Length][];
        for (int start = 0; start < order.Length;)
        {
            int rows = 1;
            while (start + rows < order.Length && rows < config.MaxRows && (rows + 1) * tokens[order[start + rows]].Length <= config.MaxTokens)
            {
                rows++;
            }
            var batch = order.AsSpan(start, rows).ToArray();
            float[][] embedded = Run(session, batch.Select(i => tokens[i]).ToArray());
            for (int r = 0; r < rows; r++)
            {
                vectors[batch[r]] = embedded[r];
            }
            start += rows;
        }
        return vectors;
    }

    /// <summary>The rows as one run, in the order given (unsorted, as a caller that does not sort would feed them).</summary>
    public float[][] EmbedAsOneRun(Config config, long[][] rows) => Run(Session(config.Threads, config.Spinning), rows);

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }
    }

    private InferenceSession Session(int threads, bool spinning)
    {
        if (!_sessions.TryGetValue((threads, spinning), out var session))
        {
            var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
            };
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            session = new InferenceSession(_modelFile, options);
            _sessions[(threads, spinning)] = session;
        }
        return session;
    }

    private static float[][] Run(InferenceSession session, long[][] rows)
    {
        using var runOptions = new RunOptions();
        return MiniLmModel.Run(session, rows, runOptions);
    }
}
