using Pulse.Core.Extract;
using Pulse.Core.Transform;

namespace Pulse.Core.Storage;

/// <summary>
/// A stored answer (UTF-8 JSON) and its pending transform items, one per step it feeds: the page is loaded, parsed and
/// committed once for all of them (issue #7), each item still done, counted and failed on its own.
/// </summary>
public sealed record TransformInput(long RunId, long TenantId, long JobId, byte[] Payload, IReadOnlyList<RawUnit> Units, bool EmbeddingsEnabled, IReadOnlyList<TransformItem> Items);

/// <summary>One step's transform work item of a page.</summary>
public sealed record TransformItem(long WorkItemId, string Step);

/// <summary>What to queue after the transform committed.</summary>
public sealed record TransformCommitResult(IReadOnlyList<long> EmbeddingItemsToQueue);

/// <summary>The transform and embed stages' work items: each is done once (a done-marker), or failed for good with its error.</summary>
public interface IWorkItemStore
{
    /// <summary>
    /// The item's page with every pending transform item of that page (the item first), or null when the item is
    /// already done (a redelivery, or a sibling's transform took it).
    /// </summary>
    Task<TransformInput?> LoadTransformAsync(long workItemId, CancellationToken ct);

    /// <summary>
    /// In one transaction, for each batch: upserts its rows, marks its item done, counts them on its step and creates
    /// embedding work for changed text. A batch whose item is no longer pending writes nothing.
    /// </summary>
    Task<TransformCommitResult> CommitTransformAsync(IReadOnlyList<TransformBatch> batches, CancellationToken ct);

    /// <summary>Records a failed attempt of a transform or embed item; past <paramref name="maxAttempts"/> it is failed for good with its error.</summary>
    Task<bool> RecordFailureAsync(long workItemId, string error, int maxAttempts, CancellationToken ct);
}
