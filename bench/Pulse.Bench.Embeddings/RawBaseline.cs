using Microsoft.ML.OnnxRuntime;
using Pulse.Embeddings.Onnx;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// The raw model: an ONNX Runtime session on the same weights, fed correctly tokenized text (FastBertTokenizer, the
/// 256-token window) in length-sorted batches, tokenized before the clock starts, mean-pooled and normalised.
/// Nothing of Pulse's generator runs here; each configuration is one way to cut the sorted texts and thread the session.
/// </summary>
internal sealed class RawBaseline : IDisposable
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private readonly Dictionary<(int Threads, bool Spinning), InferenceSession> _sessions = [];
    private readonly string _modelFile = ModelResources.ModelFile(Path.Combine(Path.GetTempPath(), "pulse-models"));

    public sealed record Config(string Name, int Threads, bool Spinning, int MaxRows, int MaxTokens);

    /// <summary>The configurations scanned: fixed batch sizes and padded-token budgets, 1 or all cores, spinning or not
    /// (batch 32 and ≤4,096 tokens were slower in every first scan and are left out to give the rest more samples).</summary>
    public static IReadOnlyList<Config> Configs()
    {
        int cores = Environment.ProcessorCount;
        return
        [
            new("batch 1", cores, false, 1, int.MaxValue),
            new("batch 4", cores, false, 4, int.MaxValue),
            new("batch 8", cores, false, 8, int.MaxValue),
            new("batch 16", cores, false, 16, int.MaxValue),
            new("≤1,024 tokens", cores, false, 64, 1_024),
            new("≤2,048 tokens", cores, false, 64, 2_048),
            new("≤2,048 tokens, spinning threads", cores, true, 64, 2_048),
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
        int length = rows.Max(r => r.Length);
        var ids = new long[rows.Length * length];
        var mask = new long[rows.Length * length];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r].CopyTo(ids, r * length);
            Array.Fill(mask, 1L, r * length, rows[r].Length);
        }
        long[] shape = [rows.Length, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], ["last_hidden_state"]);
        var states = outputs[0].GetTensorDataAsSpan<float>();
        var vectors = new float[rows.Length][];
        for (int r = 0; r < rows.Length; r++)
        {
            var sum = new float[EmbeddingModelInfo.Dimensions];
            for (int t = 0; t < rows[r].Length; t++)
            {
                var state = states.Slice((r * length + t) * sum.Length, sum.Length);
                for (int d = 0; d < sum.Length; d++) sum[d] += state[d];
            }
            float norm = MathF.Sqrt(sum.Sum(x => x * x));
            vectors[r] = sum.Select(x => x / norm).ToArray();
        }
        return vectors;
    }
}
