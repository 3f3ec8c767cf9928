using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.Core.Webhooks;

/// <summary>
/// A targeted refresh: one run whose first checkpoints are the named PRs, asked by node id with the first page of each
/// connection (packed by the extractor's planner), then what those pages left, through the same extract, transform and
/// embed stages as a sync. A refresh never waits for a sync or moves its window. One process refreshes an integration at a
/// time (the lease of its refresh job); its refreshes running side by side each run on a slot job of their own, since a
/// job has one current run.
/// </summary>
public sealed class RefreshRunner(IIntegrationStore integrations, IWebhookDeliveryStore deliveries, IJobStore jobs, IJobLeaseStore leases, IRunStore runs, PipelineHost host,
    RunCoordinator coordinator, RunWatchdog watchdog, IJobEventBus events, TimeProvider time)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _slotsGate = new(1, 1);
    private readonly Dictionary<long, (long LeasedJobId, HashSet<int> Slots)> _slots = [];

    /// <summary>Refreshes the PRs and returns the ended run; throws <see cref="RefreshBusyException"/> when another process holds the integration.</summary>
    public async Task<RunRecord> RefreshAsync(long tenantId, long integrationId, IReadOnlyList<RefreshTarget> targets, bool embeddings, CancellationToken ct)
    {
        var integration = await integrations.GetAsync(tenantId, integrationId, ct) ?? throw new InvalidOperationException($"Integration {integrationId} does not exist.");
        var (leased, slot) = await TakeSlotAsync(tenantId, integrationId, ct);
        try
        {
            var job = await jobs.EnsureJobAsync(tenantId, integrationId, GitHubPrJob.RefreshSlotJobName(slot), ct);
            // A refresh left running by a stopped process (this process holds the integration, so no live one runs it): its
            // deliveries are still open and come round again, so it just ends.
            if (job.CurrentRunId is { } previous && await runs.GetRunAsync(previous, ct) is { Status: RunStatus.Running })
                await coordinator.FailRunAsync(previous, "Interrupted: the process running it stopped; its deliveries were refreshed again.", ct);
            var first = await FirstCheckpointsAsync(tenantId, targets, ct);
            var run = await runs.StartRunAsync(new RunStart(tenantId, job.Id, integrationId, time.GetUtcNow(), null, embeddings, first,
                Math.Clamp(integration.Settings.PageSize, 1, 100)), ct);
            await host.QueueOutstandingAsync(run, ct);
            await coordinator.AfterCommitAsync(run.Id, ct);
            return await WatchAsync(run, leased, ct);
        }
        finally
        {
            await ReturnSlotAsync(integrationId, slot);
        }
    }

    /// <summary>
    /// Each PR by node id, sized by what Pulse holds of it, followed by the comments of each review thread Pulse holds for it,
    /// asked of the thread: one request per thread, as a thread found by the PR's answer would cost, but in the first round,
    /// beside the PR (the planner packs in claim order, which is this order). A PR or thread held with more than a page of
    /// something is asked for its last items too (<see cref="PullRequestPages.TailWidth"/>), so the first round holds it all. A
    /// thread new since the last fetch is found by the PR's threads page and asked in a second round; a thread GitHub no
    /// longer has answers NOT_FOUND and ends. The threads page still names every thread, so a thread asked here only moves a
    /// request earlier, never adds one (a checkpoint is unique per run, kind and parent). A PR whose every commit Pulse holds
    /// carries their head and count (<see cref="HeldCommits"/>): its commits are asked only if GitHub's head or count differs,
    /// or at once when a delivery said they changed.
    /// </summary>
    private async Task<List<NewCheckpoint>> FirstCheckpointsAsync(long tenantId, IReadOnlyList<RefreshTarget> targets, CancellationToken ct)
    {
        var held = (await deliveries.ListHeldAsync(tenantId, [.. targets.Select(t => t.PullRequestNodeId)], ct)).ToDictionary(p => p.NodeId, StringComparer.Ordinal);
        return targets.SelectMany(t =>
        {
            var pr = held.GetValueOrDefault(t.PullRequestNodeId);
            var heldCommits = t.CommitsChanged ? null : pr?.AllCommits;
            return (pr?.Threads ?? [])
                .Select(h => new NewCheckpoint(t.RepositoryId, FetchKind.ThreadComments, h.ThreadNodeId, t.PullRequestNodeId, null, h.Comments, null))
                .Prepend(new NewCheckpoint(t.RepositoryId, FetchKind.PullRequest, t.PullRequestNodeId, t.PullRequestNodeId, null, Largest(pr, heldCommits is null), null)
                {
                    HeldCommits = heldCommits,
                });
        }).ToList();
    }

    /// <summary>The most items Pulse held of a connection the refresh asks, which sizes its tails: the commits count only when they are asked.</summary>
    private static long Largest(HeldPullRequest? pr, bool asksCommits) =>
        pr is null ? 0 : asksCommits ? Math.Max(pr.Commits, pr.LargestOtherConnection) : pr.LargestOtherConnection;

    /// <summary>The lowest free slot; the first refresh of the integration in this process takes the refresh job's lease.</summary>
    private async Task<(long LeasedJobId, int Slot)> TakeSlotAsync(long tenantId, long integrationId, CancellationToken ct)
    {
        await _slotsGate.WaitAsync(ct);
        try
        {
            if (!_slots.TryGetValue(integrationId, out var held))
            {
                var job = await jobs.EnsureJobAsync(tenantId, integrationId, GitHubPrJob.RefreshJobName, ct);
                if (!await leases.TryLeaseAsync(job.Id, tenantId, _owner, time.GetUtcNow(), time.GetUtcNow() + Lease, ct))
                    throw new RefreshBusyException($"Another process is refreshing integration {integrationId}.");
                _slots[integrationId] = held = (job.Id, []);
            }
            var slot = Enumerable.Range(0, int.MaxValue).First(s => !held.Slots.Contains(s));
            held.Slots.Add(slot);
            return (held.LeasedJobId, slot);
        }
        finally
        {
            _slotsGate.Release();
        }
    }

    /// <summary>Frees the slot; the last refresh of the integration in this process hands the lease back.</summary>
    private async Task ReturnSlotAsync(long integrationId, int slot)
    {
        await _slotsGate.WaitAsync(CancellationToken.None);
        try
        {
            var held = _slots[integrationId];
            held.Slots.Remove(slot);
            if (held.Slots.Count > 0) return;
            _slots.Remove(integrationId);
            await leases.ReleaseLeaseAsync(held.LeasedJobId, _owner, CancellationToken.None);
        }
        finally
        {
            _slotsGate.Release();
        }
    }

    /// <summary>The watchdog's watch (renewing the integration's lease), ended as soon as the run's end is published rather than at its next tick.</summary>
    private async Task<RunRecord> WatchAsync(RunRecord run, long leasedJobId, CancellationToken ct)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var subscription = events.Subscribe(change =>
        {
            if (change.JobId == run.JobId && change.Status.Overall is OverallStatus.Finished or OverallStatus.Failed) ended.Cancel();
            return Task.CompletedTask;
        });
        try
        {
            return await watchdog.WatchAsync(run, (_, token) => leases.RenewLeaseAsync(leasedJobId, _owner, time.GetUtcNow() + Lease, token), ended.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return await runs.GetRunAsync(run.Id, ct) ?? run;
        }
    }
}

/// <summary>Another process holds the integration's refresh job: the deliveries stay open and are tried on the next round.</summary>
public sealed class RefreshBusyException(string message) : Exception(message);
