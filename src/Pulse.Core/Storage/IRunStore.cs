using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Core.Storage;

/// <summary>The first checkpoints of a run: one per repository.</summary>
public sealed record RunStart(long TenantId, long JobId, long IntegrationId, DateTimeOffset StartedAt, DateTimeOffset? Since, bool EmbeddingsEnabled, IReadOnlyList<NewCheckpoint> Checkpoints, int PageSize);

/// <summary>Work of a run that is stored but not done: what a restart or the watchdog queues again.</summary>
public sealed record OpenWork(IReadOnlyList<long> Checkpoints, IReadOnlyList<long> TransformItems, IReadOnlyList<long> EmbeddingItems);

/// <summary>
/// Runs, their status and the building blocks of their state machine (<see cref="RunStateMachine"/>): a store reports and
/// flips, it never decides which stage may start or end.
/// </summary>
public interface IRunStore
{
    /// <summary>Creates the run, its twelve stages (idle) and first checkpoints, and marks the job RUNNING, in one transaction.</summary>
    Task<RunRecord> StartRunAsync(RunStart start, CancellationToken ct);

    Task<RunRecord?> GetRunAsync(long runId, CancellationToken ct);

    /// <summary>The job's runs, newest first.</summary>
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(long jobId, int limit, CancellationToken ct);

    /// <summary>The status JSON of the job, built from its current run's stages and progress.</summary>
    Task<JobStatus> GetStatusAsync(long jobId, CancellationToken ct);

    Task<OpenWork> ListOpenWorkAsync(long runId, CancellationToken ct);

    /// <summary>
    /// What the run's state machine decides from, read without the run's lock: a decision made on it may be stale by the time it
    /// is acted on, so one that acts is made again under <see cref="LockRunAsync{T}"/>. Null when the run does not exist.
    /// </summary>
    Task<RunSnapshot?> ReadSnapshotAsync(long runId, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction holding the run's lock: every check-and-flip of a run (by any worker of any
    /// process) runs one after another, each seeing what the others committed. The job's status JSON is refreshed before the commit.
    /// </summary>
    Task<T> LockRunAsync<T>(long runId, Func<IRunTransaction, CancellationToken, Task<T>> work, CancellationToken ct);
}

/// <summary>The blocks a locked run offers its state machine: read what is open, and flip conditionally.</summary>
public interface IRunTransaction
{
    /// <summary>The run, each stage's state and whether work of it is open, waiting or failed, in one consistent read.</summary>
    Task<RunSnapshot> ReadAsync(CancellationToken ct);

    /// <summary>Moves a stage to <paramref name="to"/> if it is in one of <paramref name="from"/>; true if this call moved it.</summary>
    Task<bool> MoveStageAsync(string step, Stage stage, IReadOnlyCollection<string> from, string to, CancellationToken ct);

    /// <summary>The step's waiting transform items become pending; their ids, to queue.</summary>
    Task<IReadOnlyList<long>> ReleaseWaitingAsync(string step, CancellationToken ct);

    /// <summary>What a step's rows need once all of them are in (stale children removed, review links, PR metrics).</summary>
    Task SweepAsync(PipelineStep step, CancellationToken ct);

    /// <summary>Ends a running run and its job (FINISHED or FAILED, next run per schedule); false if it had ended already.</summary>
    Task<bool> FinishAsync(bool succeeded, string? error, DateTimeOffset? syncedUpTo, CancellationToken ct);

    /// <summary>The run's earliest permanent failure (a checkpoint or a work item), or null.</summary>
    Task<RunFailure?> FirstFailureAsync(CancellationToken ct);

    /// <summary>Failed checkpoints and items back to pending, failed stages to running, the run and its job to running.</summary>
    Task ReopenAsync(CancellationToken ct);
}

/// <summary>Which stage of a step.</summary>
public readonly record struct StageKey(string Step, Stage Stage);

/// <summary>A stage's state and its work: open (pending checkpoints; waiting or pending items), waiting (transform only), failed.</summary>
public sealed record StageWork(string State, bool Open, bool Waiting, bool Failed);

/// <summary>A run as its state machine sees it.</summary>
public sealed record RunSnapshot(RunRecord Run, IReadOnlyDictionary<StageKey, StageWork> Stages);

/// <summary>A permanent failure of a run's work: where, and GitHub's or the handler's error.</summary>
public sealed record RunFailure(string Step, Stage Stage, string Error);
