using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Core.Storage;

/// <summary>An answer to store: the raw payload (UTF-8 JSON, as received) and what it means for the checkpoints, written in one transaction.</summary>
public sealed record ExtractedPage(
    long RunId, long TenantId, long IntegrationId, string EntityType, string QueryHash, string VariablesJson, byte[] Payload,
    PageOutcome Outcome, int Points, long Requests)
{
    /// <summary>An alias that keeps failing is recorded as failed after this many attempts, and the run goes on.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The worker that leased the page's checkpoints: the page is stored only while it still holds every one of them.</summary>
    public required string LeaseOwner { get; init; }

    /// <summary>The steps with data in this answer, each with whether its new transform item starts waiting (<see cref="RunStateMachine"/> releases it).</summary>
    public IReadOnlyList<(string Step, bool Waiting)> TransformItems =>
        Outcome.StepsWithData.Select(s => (s.Name, RunStateMachine.TransformStartsWaiting(s, Outcome.Units))).ToList();
}

/// <summary>What to queue after the page committed.</summary>
public sealed record PageCommitResult(long RawId, IReadOnlyList<long> TransformItemsToQueue)
{
    /// <summary>
    /// Nothing was written: the worker no longer held all the page's checkpoints (its lease ran out and another worker took
    /// one, e.g. while the database was away). That worker fetches the page again; storing this copy too would advance a
    /// cursor twice and queue its rows a second time, possibly after the step's transform had ended.
    /// </summary>
    public static PageCommitResult LeaseLost { get; } = new(0, []) { Discarded = true };

    public bool Discarded { get; private init; }
}

/// <summary>The extraction stage's cursors (one per run, repository, connection and parent).</summary>
public interface ICheckpointStore
{
    /// <summary>
    /// Takes the next extraction turn: among running runs with claimable checkpoints (none of <paramref name="skipRuns"/>), the one
    /// served least recently, of any tenant; records the turn and leases up to <paramref name="max"/> of its oldest checkpoints.
    /// Null when nothing is claimable; then, with <paramref name="owedIfNone"/>, a message ending while other claims are in flight
    /// is owed back by the next <see cref="SettleTurnAsync"/> (their commits may reveal work nobody is queued to take).
    /// </summary>
    Task<ExtractTurn?> ClaimTurnAsync(IReadOnlyCollection<long> skipRuns, bool owedIfNone, int max, string owner, DateTimeOffset leaseUntil, CancellationToken ct);

    /// <summary>
    /// Gives back the leases <paramref name="owner"/> still holds (one that ran out and was taken by another worker stays
    /// theirs); a failed attempt counts, and may shrink the page size or record the failure.
    /// </summary>
    Task ReleaseAsync(IReadOnlyList<long> checkpointIds, string owner, CheckpointRelease release, CancellationToken ct);

    /// <summary>
    /// Stores the raw answer, advances its checkpoints, adds the new ones and the transform work, in one transaction — if the
    /// page's lease owner still holds every checkpoint of it; else writes nothing and says <see cref="PageCommitResult.LeaseLost"/>.
    /// </summary>
    Task<PageCommitResult> CommitPageAsync(ExtractedPage page, CancellationToken ct);

    /// <summary>
    /// After a turn ended (committed or failed): how many extraction messages to queue. One if the run still has pending work
    /// and the turn did not hand one on already, plus one owed for a message that ended meanwhile. So every message has one
    /// successor at most and the messages in circulation stay as many as were queued, however long the backlog.
    /// </summary>
    Task<int> SettleTurnAsync(long runId, bool handedOn, CancellationToken ct);

    /// <summary>Clears every lease of the run (a restarted embedded process owns all of them).</summary>
    Task ClearLeasesAsync(long runId, CancellationToken ct);
}

/// <summary>
/// One extraction turn: the run the database chose (its row as the claim read it, running then) and the checkpoints leased for it.
/// </summary>
public sealed record ExtractTurn(RunRecord Run, IReadOnlyList<Checkpoint> Checkpoints)
{
    public long RunId => Run.Id;
}

/// <summary>How a lease ends without a page: untouched, a failed attempt, or a permanent failure with its reason.</summary>
public sealed record CheckpointRelease(bool CountAttempt = false, int? PageSize = null, string? FailWith = null, int MaxAttempts = int.MaxValue);
