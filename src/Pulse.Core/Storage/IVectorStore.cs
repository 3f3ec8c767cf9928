namespace Pulse.Core.Storage;

/// <summary>A row whose text needs a vector.</summary>
public sealed record EmbeddingTarget(string Table, long RowId, string Text, string ContentHash);

public sealed record EmbeddingInput(long WorkItemId, long RunId, long TenantId, string Step, IReadOnlyList<EmbeddingTarget> Targets);

public sealed record EmbeddingVector(string Table, long RowId, string ContentHash, float[] Vector);

/// <summary>Vectors: the embed stage reads the texts of an item and stores their vectors (search reads them through <see cref="ISearchStore"/>).</summary>
public interface IVectorStore
{
    /// <summary>The texts of a pending embed item, or null when it is done already.</summary>
    Task<EmbeddingInput?> LoadAsync(long workItemId, CancellationToken ct);

    /// <summary>
    /// Vectors of <paramref name="model"/> the tenant already holds for any of these content hashes (of any row, from any run):
    /// a text is embedded once however many rows repeat it.
    /// </summary>
    Task<IReadOnlyDictionary<string, float[]>> KnownAsync(long tenantId, string model, IReadOnlyList<string> contentHashes, CancellationToken ct);

    /// <summary>Stores the vectors and marks the item done, in one transaction; a done item writes nothing.</summary>
    Task CommitAsync(long workItemId, string model, IReadOnlyList<EmbeddingVector> vectors, CancellationToken ct);
}
