using System.Collections.Concurrent;
using System.Text.Json;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.Server.Jobs;

public enum StartOutcome { Started, AlreadyRunning, Inactive }

/// <summary>
/// Runs jobs in this process over the shared pipeline: takes the job's lease (so no other serve
/// process runs it), starts or resumes the run, and watches it until it ends — renewing the lease,
/// queueing again what the database holds when the queues went quiet, publishing progress.
/// </summary>
public sealed class JobRunner(
    PulseStorage storage, ServerStorage server, JobLauncher launcher, PipelineHost host, InProcessQueue queue, RunCoordinator coordinator,
    bool embeddings, ServerOptions options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<JobRunner> logger)
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<long, Task> _running = new();

    public bool IsRunning(long jobId) => _running.ContainsKey(jobId);

    /// <summary>Starts the job unless it is inactive or already running here or in another process.</summary>
    public async Task<(StartOutcome Outcome, string? Reason)> TryStartAsync(JobRecord job, CancellationToken ct)
    {
        if (!job.Active) return (StartOutcome.Inactive, "The job is inactive; turn it on first.");
        var integration = await storage.Tenants.GetIntegrationAsync(job.TenantId, job.IntegrationId, ct);
        if (integration is not { Active: true }) return (StartOutcome.Inactive, "The job's integration is inactive; turn it on first.");
        if (_running.ContainsKey(job.Id)) return (StartOutcome.AlreadyRunning, "The job is already running.");
        var now = time.GetUtcNow();
        if (!await server.JobControl.TryLeaseAsync(job.Id, job.TenantId, _owner, now, now + options.Lease, ct))
            return (StartOutcome.AlreadyRunning, "The job is already running (in this or another server process).");
        var started = new TaskCompletionSource();
        if (!_running.TryAdd(job.Id, started.Task))
        {
            await server.JobControl.ReleaseLeaseAsync(job.Id, _owner, ct);
            return (StartOutcome.AlreadyRunning, "The job is already running.");
        }
        _ = Task.Run(async () =>
        {
            try { await RunAsync(job, lifetime.ApplicationStopping); }
            finally { _running.TryRemove(job.Id, out _); started.TrySetResult(); }
        }, CancellationToken.None);
        return (StartOutcome.Started, null);
    }

    /// <summary>Waits for every job this process runs to stop.</summary>
    public Task DrainAsync() => Task.WhenAll(_running.Values);

    private async Task RunAsync(JobRecord job, CancellationToken ct)
    {
        try
        {
            RunRecord run;
            try
            {
                (run, _) = await launcher.LaunchAsync(job, embeddings, null, rediscover: true, ct);
            }
            catch (Exception e) when (e is GitHubException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                // Discovery could not reach GitHub (bad token, unknown owner, outage): a failed start, retried on the retry interval.
                logger.LogWarning("Job {JobId} could not start: {Reason}", job.Id, e.Message);
                await server.JobControl.MarkStartFailedAsync(job.Id, e.Message, time.GetUtcNow() + job.RetryInterval, ct);
                await coordinator.PublishStatusAsync(job.Id, job.TenantId, ct);
                return;
            }
            await coordinator.PublishStatusAsync(job.Id, job.TenantId, ct);
            await host.QueueOutstandingAsync(run, ct);
            await coordinator.AfterCommitAsync(run.Id, ct);
            await WatchAsync(job, run, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the run stays RUNNING with its checkpoints; the lease expires and a process resumes it.
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Job {JobId} stopped unexpectedly", job.Id);
        }
        await server.JobControl.ReleaseLeaseAsync(job.Id, _owner, CancellationToken.None);
    }

    private async Task WatchAsync(JobRecord job, RunRecord run, CancellationToken ct)
    {
        string? lastProgress = null;
        var idleTicks = 0;
        while (true)
        {
            run = (await storage.Jobs.GetRunAsync(run.Id, ct))!;
            if (run.Status != RunStatus.Running) break;
            await server.JobControl.RenewLeaseAsync(job.Id, _owner, time.GetUtcNow() + options.Lease, ct);
            // Progress moves between stage changes too: publish it when it did.
            var status = await storage.Jobs.GetStatusAsync(job.Id, ct);
            var progress = JsonSerializer.Serialize(status);
            if (progress != lastProgress)
            {
                lastProgress = progress;
                await coordinator.PublishStatusAsync(job.Id, job.TenantId, ct);
            }
            await Task.Delay(options.RunnerTick, time, ct);
            var idle = host.Busy == 0 && QueueNames.All.All(q => queue.Depth(q) == 0);
            idleTicks = idle ? idleTicks + 1 : 0;
            if (idleTicks >= 2)
            {
                idleTicks = 0;
                await coordinator.AfterCommitAsync(run.Id, ct);
                await host.QueueOutstandingAsync(run, ct);
            }
        }
        await coordinator.PublishStatusAsync(job.Id, job.TenantId, ct);
    }
}
