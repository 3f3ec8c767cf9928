using System.Collections.Concurrent;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Jobs;

/// <summary>
/// After every commit: advances the run's stages, queues work that gates released, publishes the
/// job's status, and ends the run exactly once when its last stage finishes.
/// </summary>
public sealed class RunCoordinator(IRunLedger ledger, IJobStore jobs, IWorkQueue queue, IJobEventBus events, TimeProvider time)
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
        var advance = await ledger.AdvanceAsync(runId, ct);
        var run = await jobs.GetRunAsync(runId, ct) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        foreach (var item in advance.ReleasedTransformItems)
            await queue.PublishAsync(new WorkMessage(QueueNames.Transform, run.TenantId, runId, item), ct);
        if (advance.RunComplete)
        {
            // Incremental windows are measured from the run's start: edits during the run are caught next time.
            await jobs.FinishRunAsync(runId, !advance.RunFailed, advance.RunFailed ? FailureText(advance.Failure) : null,
                advance.RunFailed ? null : run.StartedAt, ct);
        }
        if (advance.Changes.Count > 0 || advance.RunComplete)
            await PublishStatusAsync(run.JobId, run.TenantId, ct);
    }

    /// <summary>The run's error when items failed for good: how many, and the first one's cause (e.g. a poisoned message's error).</summary>
    private static string FailureText(RunFailure? failure) => failure is { Items: > 0 } f
        ? $"{f.Items} item{(f.Items == 1 ? "" : "s")} failed for good; the first: {f.FirstError ?? "no error recorded"}"
        : "Some items failed; see the run's failures.";

    public async Task MarkRunningAsync(long runId, string step, Stage stage, long jobId, long tenantId, CancellationToken ct)
    {
        // A stage never goes back to idle, so once this process has seen it leave idle there is nothing to write.
        if (_running.ContainsKey((runId, step, stage))) return;
        if (await ledger.MarkRunningAsync(runId, step, stage, ct)) await PublishStatusAsync(jobId, tenantId, ct);
        _running[(runId, step, stage)] = true;
    }

    public async Task PublishStatusAsync(long jobId, long tenantId, CancellationToken ct)
    {
        var status = await jobs.GetStatusAsync(jobId, ct);
        await events.PublishAsync(new JobStatusChanged(tenantId, jobId, status, time.GetUtcNow()), ct);
    }

    /// <summary>Ends a run that cannot go on (e.g. the token was revoked); its checkpoints stay, so it resumes later.</summary>
    public async Task FailRunAsync(long runId, string error, CancellationToken ct)
    {
        var run = await jobs.GetRunAsync(runId, ct) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        await jobs.FinishRunAsync(runId, false, error, null, ct);
        await PublishStatusAsync(run.JobId, run.TenantId, ct);
    }

    private sealed class AdvanceGate
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        public long Asked;
        public long Answered;
    }
}
