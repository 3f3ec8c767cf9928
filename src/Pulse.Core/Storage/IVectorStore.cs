namespace Pulse.Core.Storage;

/// <summary>A row whose text needs a vector.</summary>
public sealed record EmbeddingTarget(string Table, long RowId, string Text, string ContentHash);

public sealed record EmbeddingInput(long WorkItemId, long RunId, long TenantId, string Step, IReadOnlyList<EmbeddingTarget> Targets);

public sealed record EmbeddingVector(string Table, long RowId, string ContentHash, float[] Vector);

public sealed record SearchHit(string Table, long RowId, double Score, string Repository, int PullRequestNumber, string Title, string Snippet);

/// <summary>Vectors: the embed stage reads the texts of an item and stores their vectors; search reads the nearest.</summary>
public interface IVectorStore
{
    /// <summary>The texts of a pending embed item, or null when it is done already.</summary>
    Task<EmbeddingInput?> LoadAsync(long workItemId, CancellationToken ct);

    /// <summary>Stores the vectors and marks the item done, in one transaction; a done item writes nothing.</summary>
    Task CommitAsync(long workItemId, string model, IReadOnlyList<EmbeddingVector> vectors, CancellationToken ct);

    Task<IReadOnlyList<SearchHit>> SearchAsync(long tenantId, string model, float[] query, string? repository, int limit, CancellationToken ct);
}
