using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Jobs;

/// <summary>
/// After every commit: advances the run's stages, queues work that gates released, publishes the
/// job's status, and ends the run exactly once when its last stage finishes.
/// </summary>
public sealed class RunCoordinator(IRunLedger ledger, IJobStore jobs, IWorkQueue queue, IJobEventBus events, TimeProvider time)
{
    public async Task AfterCommitAsync(long runId, CancellationToken ct)
    {
        var advance = await ledger.AdvanceAsync(runId, ct);
        var run = await jobs.GetRunAsync(runId, ct) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        foreach (var item in advance.ReleasedTransformItems)
            await queue.PublishAsync(new WorkMessage(QueueNames.Transform, run.TenantId, runId, item), ct);
        if (advance.RunComplete)
        {
            // Incremental windows are measured from the run's start: edits during the run are caught next time.
            await jobs.FinishRunAsync(runId, !advance.RunFailed, advance.RunFailed ? "Some items failed; see the run's failures." : null,
                advance.RunFailed ? null : run.StartedAt, ct);
        }
        if (advance.Changes.Count > 0 || advance.RunComplete)
            await PublishStatusAsync(run.JobId, run.TenantId, ct);
    }

    public async Task MarkRunningAsync(long runId, string step, Stage stage, long jobId, long tenantId, CancellationToken ct)
    {
        if (await ledger.MarkRunningAsync(runId, step, stage, ct)) await PublishStatusAsync(jobId, tenantId, ct);
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
}
