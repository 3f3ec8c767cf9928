using Pulse.Core.Extract;
using Pulse.Core.Transform;

namespace Pulse.Core.Storage;

/// <summary>One transform work item: a stored answer (UTF-8 JSON) and the step to read out of it.</summary>
public sealed record TransformInput(long WorkItemId, long RunId, long TenantId, string Step, byte[] Payload, IReadOnlyList<RawUnit> Units, bool EmbeddingsEnabled);

/// <summary>What to queue after the transform committed.</summary>
public sealed record TransformCommitResult(IReadOnlyList<long> EmbeddingItemsToQueue);

/// <summary>The transform stage: raw answers in, relational rows out.</summary>
public interface ITransformStore
{
    /// <summary>The item's input, or null when it is already done (a redelivery).</summary>
    Task<TransformInput?> LoadAsync(long workItemId, CancellationToken ct);

    /// <summary>Upserts the rows, marks the item done and creates embedding work for changed text, in one transaction.</summary>
    Task<TransformCommitResult> CommitAsync(TransformBatch batch, CancellationToken ct);

    /// <summary>Records a failed attempt; past <paramref name="maxAttempts"/> the item is failed for good with its error.</summary>
    Task<bool> RecordFailureAsync(long workItemId, string error, int maxAttempts, CancellationToken ct);
}
