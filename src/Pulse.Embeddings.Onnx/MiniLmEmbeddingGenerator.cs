using Microsoft.Extensions.AI;

namespace Pulse.Embeddings.Onnx;

/// <summary>
/// Embeds text on the local CPU with all-MiniLM-L6-v2 (384 dimensions, L2-normalised), through the process's one
/// <see cref="MiniLmModel"/>. Identical texts in one call are embedded once; the rest go to the model shortest first
/// in runs of bounded size. A text's vector does not depend on the other texts of the call.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>
    /// Default budget of padded word pieces per model run (rows × longest row): one text at the window, up to 16
    /// short ones. Small runs measured fastest on this 2-core machine (bench/results/embeddings.md: batches of 1–4
    /// and ≤256 tokens beat batch 16 and ≤2,048 tokens by 1.5–2×) and keep a run's activations small.
    /// </summary>
    public const int DefaultMaxBatchTokens = 256;

    /// <summary>Default most texts per model run.</summary>
    public const int DefaultMaxBatchRows = 16;

    private static readonly EmbeddingGeneratorMetadata Metadata =
        new("onnx", providerUri: null, EmbeddingModelInfo.Id, EmbeddingModelInfo.Dimensions);

    private volatile bool _disposed;
    private int _modelRuns;

    /// <param name="maxBatchTokens">Padded word pieces per model run, at least <see cref="EmbeddingModelInfo.MaxTokens"/>; default 256.</param>
    /// <param name="maxBatchRows">Texts per model run, at least 1; default 16.</param>
    public MiniLmEmbeddingGenerator(int maxBatchTokens = DefaultMaxBatchTokens, int maxBatchRows = DefaultMaxBatchRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchTokens, EmbeddingModelInfo.MaxTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchRows, 1);
        MaxBatchTokens = maxBatchTokens;
        MaxBatchRows = maxBatchRows;
    }

    public int MaxBatchTokens { get; }

    public int MaxBatchRows { get; }

    /// <summary>Model runs (batches) this generator has made: how tests see that a cancelled call stopped between batches.</summary>
    internal int ModelRuns => Volatile.Read(ref _modelRuns);

    /// <summary>Creates a generator; the model is loaded on the first call, not here.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Create() => new MiniLmEmbeddingGenerator();

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is int requested && requested != EmbeddingModelInfo.Dimensions)
        {
            throw new ArgumentException(
                $"{EmbeddingModelInfo.Id} produces {EmbeddingModelInfo.Dimensions} dimensions, not {requested}.",
                nameof(options));
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();

        // Each distinct prepared text once: identical commit messages, templates and empty bodies are common.
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        int[] slot = values.Select(text => SlotOf(distinct, EmbeddingText.Prepare(text))).ToArray();
        if (slot.Length == 0)
        {
            return [];
        }

        var model = MiniLmModel.Shared;
        long[][] tokens = distinct.Keys.Select(model.Tokenizer.Encode).ToArray();
        var vectors = new float[tokens.Length][];
        foreach (int[] run in TokenBatches.Plan(tokens.Select(t => t.Length).ToArray(), MaxBatchTokens, MaxBatchRows))
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            float[][] embedded = await model.EmbedAsync(run.Select(i => tokens[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _modelRuns);
            for (int i = 0; i < run.Length; i++)
            {
                vectors[run[i]] = embedded[i];
            }
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(slot.Length);
        foreach (int s in slot)
        {
            // A copy per position: a caller that changes one vector must not change its duplicates.
            result.Add(new Embedding<float>(vectors[s].ToArray()) { ModelId = EmbeddingModelInfo.Id });
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return Metadata;
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Ends this generator's use of the model; the model itself stays loaded for the process's other users.</summary>
    public void Dispose() => _disposed = true;

    private static int SlotOf(Dictionary<string, int> distinct, string text)
    {
        if (!distinct.TryGetValue(text, out int slot))
        {
            slot = distinct.Count;
            distinct.Add(text, slot);
        }
        return slot;
    }
}
