namespace Pulse.Core.Storage;

/// <summary>A row whose text needs a vector.</summary>
public sealed record EmbeddingTarget(string Table, long RowId, string Text, string ContentHash);

public sealed record EmbeddingInput(long WorkItemId, long RunId, long TenantId, string Step, IReadOnlyList<EmbeddingTarget> Targets);

public sealed record EmbeddingVector(string Table, long RowId, string ContentHash, float[] Vector);

public sealed record SearchHit(string Table, long RowId, double Score, string Repository, int PullRequestNumber, string Title, string Snippet);

/// <summary>The embedding stage and the search over its vectors.</summary>
public interface IEmbeddingStore
{
    Task<EmbeddingInput?> LoadAsync(long workItemId, CancellationToken ct);

    Task CommitAsync(long workItemId, string model, IReadOnlyList<EmbeddingVector> vectors, CancellationToken ct);

    Task<bool> RecordFailureAsync(long workItemId, string error, int maxAttempts, CancellationToken ct);

    Task<IReadOnlyList<SearchHit>> SearchAsync(long tenantId, string model, float[] query, string? repository, int limit, CancellationToken ct);
}
