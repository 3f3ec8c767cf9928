using System.Collections.Concurrent;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Jobs;

/// <summary>
/// Applies the <see cref="RunStateMachine"/> to a run under its lock after every commit: ends stages, queues the work that
/// opened gates released, ends the run exactly once when its last stage ends, and publishes the job's status.
/// </summary>
public sealed class RunCoordinator(IRunStore runs, IWorkQueue queue, IJobEventBus events, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, AdvanceGate> _gates = new();
    private readonly ConcurrentDictionary<(long, string, Stage), bool> _running = new();

    /// <summary>
    /// Advances the run after a commit of the caller. Callers that arrive while an advance runs share the next one:
    /// an advance that starts after a caller's commit sees it, so one advance answers for all who asked before it began.
    /// </summary>
    public async Task AfterCommitAsync(long runId, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(runId, _ => new AdvanceGate());
        var asked = Interlocked.Increment(ref gate.Asked);
        await gate.Lock.WaitAsync(ct);
        try
        {
            if (gate.Answered >= asked) return;
            var answering = Volatile.Read(ref gate.Asked);
            await AdvanceAsync(runId, ct);
            gate.Answered = answering;
        }
        finally
        {
            gate.Lock.Release();
        }
    }

    private async Task AdvanceAsync(long runId, CancellationToken ct)
    {
        // Most commits leave nothing to decide (a page among many). The decision is first made on a read of the run, and only
        // one that acts takes the run's lock (on SQLite, the one writer) to decide again there. A commit that lands after the read
        // asks for an advance of its own (AfterCommitAsync), so nothing it changes is missed.
        if (await runs.ReadSnapshotAsync(runId, ct) is { } read && RunStateMachine.Decide(read).None) return;
        var (run, released, changed) = await runs.LockRunAsync(runId, async (tx, token) =>
        {
            var snapshot = await tx.ReadAsync(token);
            var decision = RunStateMachine.Decide(snapshot);
            var released = new List<long>();
            foreach (var step in decision.Releases) released.AddRange(await tx.ReleaseWaitingAsync(step, token));
            var changed = false;
            foreach (var end in decision.Ends)
            {
                // The step's rows are all in once its transform may end: the sweep runs in the same transaction as the flip.
                if (end.Stage == Stage.Transform) await tx.SweepAsync(GitHubPrJob.Step(end.Step), token);
                changed |= await tx.MoveStageAsync(end.Step, end.Stage, RunStateMachine.NotEnded, end.Failed ? StageState.Failed : StageState.Finished, token);
            }
            if (decision.Complete)
            {
                // Incremental windows are measured from the run's start: edits during the run are caught next time.
                var error = decision.Failed ? RunStateMachine.FailureMessage(await tx.FirstFailureAsync(token)) : null;
                changed |= await tx.FinishAsync(!decision.Failed, error, decision.Failed ? null : snapshot.Run.StartedAt, token);
            }
            return (snapshot.Run, (IReadOnlyList<long>)released, changed);
        }, ct);
        foreach (var item in released)
            await queue.PublishAsync(new WorkMessage(QueueNames.Transform, run.TenantId, runId, item), ct);
        if (changed) await PublishStatusAsync(run.JobId, run.TenantId, ct);
    }

    /// <summary>A stage starts running when its first work starts: the flip from idle happens once, whoever gets there first.</summary>
    public async Task MarkRunningAsync(long runId, string step, Stage stage, long jobId, long tenantId, CancellationToken ct)
    {
        // A stage never goes back to idle, so once this process has seen it leave idle there is nothing to write.
        if (_running.ContainsKey((runId, step, stage))) return;
        if (await runs.LockRunAsync(runId, (tx, token) => tx.MoveStageAsync(step, stage, RunStateMachine.NotStarted, StageState.Running, token), ct))
            await PublishStatusAsync(jobId, tenantId, ct);
        _running[(runId, step, stage)] = true;
    }

    public async Task PublishStatusAsync(long jobId, long tenantId, CancellationToken ct)
    {
        var status = await runs.GetStatusAsync(jobId, ct);
        await events.PublishAsync(new JobStatusChanged(tenantId, jobId, status, time.GetUtcNow()), ct);
    }

    /// <summary>Ends a run that cannot go on (e.g. the token was revoked); its checkpoints stay, so it resumes later.</summary>
    public async Task FailRunAsync(long runId, string error, CancellationToken ct)
    {
        var run = await runs.LockRunAsync(runId, async (tx, token) =>
        {
            var snapshot = await tx.ReadAsync(token);
            await tx.FinishAsync(false, error, null, token);
            return snapshot.Run;
        }, ct);
        await PublishStatusAsync(run.JobId, run.TenantId, ct);
    }

    private sealed class AdvanceGate
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public long Asked;
        public long Answered;
    }
}
