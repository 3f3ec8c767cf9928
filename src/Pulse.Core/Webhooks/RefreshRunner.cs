using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.Core.Webhooks;

/// <summary>
/// A targeted refresh: one run of the integration's refresh job whose first checkpoints are the named PRs, asked by node id
/// (packed by the extractor's planner) and then every connection of each completely, through the same extract, transform
/// and embed stages as a sync. The refresh job is not the scheduled job: a refresh never waits for a sync or moves its window.
/// </summary>
public sealed class RefreshRunner(IIntegrationStore integrations, IJobStore jobs, IJobLeaseStore leases, IRunStore runs, PipelineHost host,
    RunCoordinator coordinator, RunWatchdog watchdog, IJobEventBus events, TimeProvider time)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>Refreshes the PRs and returns the ended run; throws <see cref="RefreshBusyException"/> when another process holds the job.</summary>
    public async Task<RunRecord> RefreshAsync(long tenantId, long integrationId, IReadOnlyList<RefreshTarget> targets, bool embeddings, CancellationToken ct)
    {
        var integration = await integrations.GetAsync(tenantId, integrationId, ct) ?? throw new InvalidOperationException($"Integration {integrationId} does not exist.");
        var job = await jobs.EnsureJobAsync(tenantId, integrationId, GitHubPrJob.RefreshJobName, ct);
        if (!await leases.TryLeaseAsync(job.Id, tenantId, _owner, time.GetUtcNow(), time.GetUtcNow() + Lease, ct))
            throw new RefreshBusyException($"Another process is refreshing integration {integrationId}.");
        try
        {
            // A refresh left running by a stopped process: its deliveries are still open and come round again, so it just ends.
            if (job.CurrentRunId is { } previous && await runs.GetRunAsync(previous, ct) is { Status: RunStatus.Running })
                await coordinator.FailRunAsync(previous, "Interrupted: the process running it stopped; its deliveries were refreshed again.", ct);
            var first = targets.Select(t => new NewCheckpoint(t.RepositoryId, FetchKind.PullRequest, t.PullRequestNodeId, t.PullRequestNodeId, null, 0, null)).ToList();
            var run = await runs.StartRunAsync(new RunStart(tenantId, job.Id, integrationId, time.GetUtcNow(), null, embeddings, first,
                Math.Clamp(integration.Settings.PageSize, 1, 100)), ct);
            await host.QueueOutstandingAsync(run, ct);
            await coordinator.AfterCommitAsync(run.Id, ct);
            return await WatchAsync(run, ct);
        }
        finally
        {
            await leases.ReleaseLeaseAsync(job.Id, _owner, CancellationToken.None);
        }
    }

    /// <summary>The watchdog's watch, ended as soon as the run's end is published rather than at the watchdog's next tick.</summary>
    private async Task<RunRecord> WatchAsync(RunRecord run, CancellationToken ct)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var subscription = events.Subscribe(change =>
        {
            if (change.JobId == run.JobId && change.Status.Overall is OverallStatus.Finished or OverallStatus.Failed) ended.Cancel();
            return Task.CompletedTask;
        });
        try
        {
            return await watchdog.WatchAsync(run, (_, token) => leases.RenewLeaseAsync(run.JobId, _owner, time.GetUtcNow() + Lease, token), ended.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return await runs.GetRunAsync(run.Id, ct) ?? run;
        }
    }
}

/// <summary>Another process holds the integration's refresh job: the deliveries stay open and are tried on the next round.</summary>
public sealed class RefreshBusyException(string message) : Exception(message);
