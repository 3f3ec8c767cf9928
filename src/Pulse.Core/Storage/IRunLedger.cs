using Pulse.Core.Jobs;

namespace Pulse.Core.Storage;

/// <summary>A stage that changed state, to publish as an event.</summary>
public sealed record StageChange(long RunId, string Step, Stage Stage, string State);

/// <summary>What advancing a run did: stages that changed, work released by opened gates, and whether the run ended.</summary>
public sealed record RunAdvance(IReadOnlyList<StageChange> Changes, IReadOnlyList<long> ReleasedTransformItems, bool RunComplete, bool RunFailed)
{
    /// <summary>When the run ended failed: how many checkpoints and items failed for good, and the first one's error (the cause shown).</summary>
    public RunFailure? Failure { get; init; }
}

public sealed record RunFailure(long Items, string? FirstError);

/// <summary>Work of a run that is stored but not done: what a restart queues again.</summary>
public sealed record OutstandingWork(IReadOnlyList<long> Checkpoints, IReadOnlyList<long> TransformItems, IReadOnlyList<long> EmbeddingItems);

/// <summary>
/// Completion accounting. A stage is finished when the stages that feed it are finished and no
/// work of its own is outstanding; the flip is conditional, so exactly one caller wins it.
/// </summary>
public interface IRunLedger
{
    /// <summary>Marks a stage running if it was idle; true if this call changed it.</summary>
    Task<bool> MarkRunningAsync(long runId, string step, Stage stage, CancellationToken ct);

    /// <summary>Flips every stage that can finish, opens transform gates, and reports what changed. Call after each commit.</summary>
    Task<RunAdvance> AdvanceAsync(long runId, CancellationToken ct);

    Task<OutstandingWork> OutstandingAsync(long runId, CancellationToken ct);
}
