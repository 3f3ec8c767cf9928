using Pulse.Core.Extract;

namespace Pulse.Core.Storage;

/// <summary>An answer to store: the raw payload (UTF-8 JSON, as received) and what it means for the checkpoints, written in one transaction.</summary>
public sealed record ExtractedPage(
    long RunId, long TenantId, long IntegrationId, string EntityType, string QueryHash, string VariablesJson, byte[] Payload,
    PageOutcome Outcome, int Points, long Requests)
{
    /// <summary>An alias that keeps failing is recorded as failed after this many attempts, and the run goes on.</summary>
    public int MaxAttempts { get; init; } = 8;
}

/// <summary>What to queue after the page committed.</summary>
public sealed record PageCommitResult(long RawId, IReadOnlyList<long> TransformItemsToQueue);

/// <summary>The extraction stage's cursors (one per run, repository, connection and parent).</summary>
public interface ICheckpointStore
{
    /// <summary>Leases up to <paramref name="max"/> pending checkpoints of the run, <paramref name="preferred"/> first.</summary>
    Task<IReadOnlyList<Checkpoint>> ClaimAsync(long runId, long? preferred, int max, string owner, DateTimeOffset leaseUntil, CancellationToken ct);

    /// <summary>Gives leases back; a failed attempt counts, and may shrink the page size or record the failure.</summary>
    Task ReleaseAsync(IReadOnlyList<long> checkpointIds, CheckpointRelease release, CancellationToken ct);

    /// <summary>Stores the raw answer, advances its checkpoints, adds the new ones and the transform work, in one transaction.</summary>
    Task<PageCommitResult> CommitPageAsync(ExtractedPage page, CancellationToken ct);

    Task<int> CountPendingAsync(long runId, CancellationToken ct);

    /// <summary>Clears every lease of the run (a restarted embedded process owns all of them).</summary>
    Task ClearLeasesAsync(long runId, CancellationToken ct);
}

/// <summary>How a lease ends without a page: untouched, a failed attempt, or a permanent failure with its reason.</summary>
public sealed record CheckpointRelease(bool CountAttempt = false, int? PageSize = null, string? FailWith = null, int MaxAttempts = int.MaxValue);
