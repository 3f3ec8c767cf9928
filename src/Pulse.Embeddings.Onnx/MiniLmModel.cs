using Microsoft.ML.OnnxRuntime;

namespace Pulse.Embeddings.Onnx;

/// <summary>
/// all-MiniLM-L6-v2 on ONNX Runtime: one session and one tokenizer per process (<see cref="Shared"/>), whatever
/// number of generators and embed consumers use it. Runs take turns: each already uses every core through ONNX
/// Runtime's own threads, so concurrent runs would only contend for them and hold several runs' activations at once.
/// The process owns it to the end: nothing disposes it.
/// </summary>
internal sealed class MiniLmModel
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = ["last_hidden_state"];
    private static readonly Lazy<MiniLmModel> Instance = new(() => new MiniLmModel(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SessionOptions _options;
    private readonly InferenceSession _session;
    private readonly SemaphoreSlim _turn = new(1, 1);

    private MiniLmModel()
    {
        Tokenizer = new WordPieceTokenizer();
        _options = CreateSessionOptions();
        _session = new InferenceSession(ModelResources.ModelFile(Path.Combine(Path.GetTempPath(), "pulse-models")), _options);
    }

    /// <summary>The process's model, loaded on first use.</summary>
    public static MiniLmModel Shared => Instance.Value;

    public WordPieceTokenizer Tokenizer { get; }

    /// <summary>
    /// Explicit threading (ONNX Runtime's default is one intra-op thread per physical core plus an inter-op pool),
    /// every graph optimisation (attention and layer-norm fusions), and threads that sleep between runs instead of
    /// spinning: the extract and transform stages share the same cores, and spinning threads measured 1.7–2× slower
    /// on this shared machine (bench/results/embeddings-scans.md).
    /// </summary>
    private static SessionOptions CreateSessionOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = Environment.ProcessorCount,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>One model run over <paramref name="rows"/> (word-piece ids, [CLS] … [SEP]); one unit vector per row.</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<long[]> rows, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Run(rows, cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    private float[][] Run(IReadOnlyList<long[]> rows, CancellationToken cancellationToken)
    {
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return Run(_session, rows, runOptions);
        }
        catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
        {
            // A terminated run ends with ONNX Runtime's own exception type.
            throw new OperationCanceledException("Embedding was cancelled.", ex, cancellationToken);
        }
    }

    /// <summary>
    /// One run of <paramref name="session"/> (this model's graph) over <paramref name="rows"/>, each padded to the
    /// longest; the mean of each row's own token states, normalised.
    /// </summary>
    internal static float[][] Run(InferenceSession session, IReadOnlyList<long[]> rows, RunOptions runOptions)
    {
        int length = rows.Max(r => r.Length);
        var ids = new long[rows.Count * length];
        var mask = new long[rows.Count * length];
        for (int r = 0; r < rows.Count; r++)
        {
            rows[r].CopyTo(ids, r * length);
            Array.Fill(mask, 1L, r * length, rows[r].Length);
        }

        long[] shape = [rows.Count, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        using var outputs = session.Run(runOptions, InputNames, [idsValue, maskValue, typesValue], OutputNames);
        var states = outputs[0].GetTensorDataAsSpan<float>();
        int rowFloats = length * EmbeddingModelInfo.Dimensions;
        var vectors = new float[rows.Count][];
        for (int r = 0; r < rows.Count; r++)
        {
            vectors[r] = MeanPooling.Pool(states.Slice(r * rowFloats, rowFloats), rows[r].Length);
        }
        return vectors;
    }
}
