using System.Collections.Concurrent;
using System.Text.Json;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.Server.Jobs;

public enum StartOutcome { Started, AlreadyRunning, Inactive, NotDue }

/// <summary>
/// Runs jobs from this process over the pipeline: takes the job's lease (so no other serve
/// process runs it), starts or resumes the run, and watches it until it ends with the pipeline's
/// watchdog — renewing the lease and publishing progress on each of its ticks. With a shared
/// queue the stages run in worker processes; this process only launches and watches.
/// </summary>
public sealed class JobRunner(
    IIntegrationStore integrations, IJobStore jobs, IJobLeaseStore leases, JobLauncher launcher, PipelineHost host, RunWatchdog watchdog, RunCoordinator coordinator,
    bool embeddings, ServerOptions options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<JobRunner> logger)
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<long, Task> _running = new();

    public bool IsRunning(long jobId) => _running.ContainsKey(jobId);

    /// <summary>
    /// Starts the job unless it is inactive or already running here or in another process; with
    /// <paramref name="stillDue"/>, only if the job as read under the lease still passes it.
    /// </summary>
    public async Task<(StartOutcome Outcome, string? Reason)> TryStartAsync(JobRecord job, CancellationToken ct,
        Func<JobRecord, CancellationToken, Task<bool>>? stillDue = null)
    {
        if (!job.Active) return (StartOutcome.Inactive, "The job is inactive; turn it on first.");
        var integration = await integrations.GetAsync(job.TenantId, job.IntegrationId, ct);
        if (integration is not { Active: true }) return (StartOutcome.Inactive, "The job's integration is inactive; turn it on first.");
        if (_running.ContainsKey(job.Id)) return (StartOutcome.AlreadyRunning, "The job is already running.");
        var now = time.GetUtcNow();
        if (!await leases.TryLeaseAsync(job.Id, job.TenantId, _owner, now, now + options.Lease, ct))
            return (StartOutcome.AlreadyRunning, "The job is already running (in this or another server process).");
        // Workers finish runs without the lease: the run the caller saw RUNNING may have ended since. Decide again on the job as it is now.
        if (await jobs.GetJobAsync(job.Id, ct) is not { } fresh || (stillDue is not null && !await stillDue(fresh, ct)))
        {
            await leases.ReleaseLeaseAsync(job.Id, _owner, ct);
            return (StartOutcome.NotDue, "The job is no longer due.");
        }
        job = fresh;
        var started = new TaskCompletionSource();
        if (!_running.TryAdd(job.Id, started.Task))
        {
            await leases.ReleaseLeaseAsync(job.Id, _owner, ct);
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
                await jobs.MarkStartFailedAsync(job.Id, e.Message, time.GetUtcNow() + job.RetryInterval, ct);
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
        await leases.ReleaseLeaseAsync(job.Id, _owner, CancellationToken.None);
    }

    private async Task WatchAsync(JobRecord job, RunRecord run, CancellationToken ct)
    {
        string? lastProgress = null;
        await watchdog.WatchAsync(run, async (status, token) =>
        {
            await leases.RenewLeaseAsync(job.Id, _owner, time.GetUtcNow() + options.Lease, token);
            // Progress moves between stage changes too: publish it when it did.
            var progress = JsonSerializer.Serialize(status);
            if (progress == lastProgress) return;
            lastProgress = progress;
            await coordinator.PublishStatusAsync(job.Id, job.TenantId, token);
        }, ct);
        await coordinator.PublishStatusAsync(job.Id, job.TenantId, ct);
    }
}
