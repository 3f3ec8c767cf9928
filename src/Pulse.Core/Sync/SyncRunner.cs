using Microsoft.Extensions.AI;
using Pulse.Core.Embed;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Sync;

/// <summary>
/// Runs discovery and the <c>github_prs</c> job to completion in this process (the embedded
/// default): in-process queue, workers for the three stages, and a watchdog that queues again
/// whatever the database says is still open.
/// </summary>
public sealed class SyncRunner(
    PulseStorage storage,
    ISecretProtector secrets,
    HttpClient http,
    TimeProvider time,
    IEmbeddingGenerator<string, Embedding<float>>? generator,
    string embeddingModel,
    ExtractionOptions extraction,
    RateLimitBudgetOptions budgetOptions,
    IJobEventBus events,
    Action<string> log)
{
    public async Task<SyncResult> RunAsync(SyncOptions options, Action<JobStatus, RateLimitInfo?>? progress, CancellationToken ct)
    {
        var tenant = await storage.Tenants.EnsureTenantAsync(options.TenantName, ct);
        var settings = new IntegrationSettings { RepositoryFilters = options.Repositories };
        var integration = await storage.Tenants.EnsureIntegrationAsync(tenant.Id, options.GraphQLUrl, options.Owner, secrets.Protect(options.Token), settings, ct);
        await storage.Jobs.EnsureJobAsync(tenant.Id, integration.Id, GitHubPrJob.DiscoveryJobName, ct);
        var job = await storage.Jobs.EnsureJobAsync(tenant.Id, integration.Id, GitHubPrJob.Name, ct);

        var connections = new GitHubConnections(storage.Tenants, secrets, http, time, budgetOptions);
        var connection = await connections.ForIntegrationAsync(tenant.Id, integration.Id, ct);
        var queue = new InProcessQueue();
        var coordinator = new RunCoordinator(storage.Ledger, storage.Jobs, queue, events, time);

        var repositories = await storage.Repositories.ListActiveAsync(tenant.Id, integration.Id, ct);
        if (repositories.Count == 0 || options.Repositories.Count > 0)
        {
            try
            {
                var found = await new RepositoryDiscovery(storage.Repositories).DiscoverAsync(integration, connection, new SilentPause(), ct);
                log($"discovery: {found} repositories of {options.Owner}");
            }
            catch (GitHubException e)
            {
                return new SyncResult(false, 0, e.Message, 0);
            }
            repositories = (await storage.Repositories.ListActiveAsync(tenant.Id, integration.Id, ct)).Where(r => settings.Includes(r.Name)).ToList();
        }

        var run = await StartOrResumeAsync(job, integration, repositories, options, ct);
        log($"run {run.Id}: {(run.Since is null ? "full sync" : $"incremental since {run.Since:u}")} of {repositories.Count} repositories");

        var extractionHandler = new ExtractionHandler(storage.Jobs, storage.Checkpoints, connections, queue, coordinator, new AdaptiveLoad(extraction), extraction, time);
        var transformHandler = new TransformHandler(storage.Jobs, storage.Transforms, queue, coordinator);
        var handlers = new Dictionary<string, (int, Func<WorkMessage, CancellationToken, Task>)>
        {
            [QueueNames.Extract] = (options.ExtractionWorkers, extractionHandler.HandleAsync),
            [QueueNames.Transform] = (options.TransformWorkers, transformHandler.HandleAsync),
        };
        if (generator is not null && run.EmbeddingsEnabled)
        {
            var embeddingHandler = new EmbeddingHandler(storage.Jobs, storage.Embeddings, generator, embeddingModel, coordinator);
            handlers[QueueNames.Embed] = (options.EmbeddingWorkers, embeddingHandler.HandleAsync);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = new PipelineWorkers(queue, handlers, log);
        var loops = workers.Start(stop.Token);
        await QueueOutstandingAsync(run, queue, options.ExtractionWorkers, ct);
        await coordinator.AfterCommitAsync(run.Id, ct);

        var idleTicks = 0;
        while (true)
        {
            run = (await storage.Jobs.GetRunAsync(run.Id, ct))!;
            progress?.Invoke(await storage.Jobs.GetStatusAsync(job.Id, ct), connection.Budget.Current);
            if (run.Status != RunStatus.Running) break;
            await Task.Delay(options.ProgressInterval, time, ct);

            // Watchdog: nothing queued, nothing running, yet the run is open: queue again what the database holds.
            var idle = workers.Busy == 0 && QueueNames.All.All(q => queue.Depth(q) == 0);
            idleTicks = idle ? idleTicks + 1 : 0;
            if (idleTicks >= 2)
            {
                idleTicks = 0;
                await coordinator.AfterCommitAsync(run.Id, ct);
                await QueueOutstandingAsync(run, queue, options.ExtractionWorkers, ct);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        return new SyncResult(run.Status == RunStatus.Succeeded, run.Id, run.Error, repositories.Count);
    }

    private async Task<RunRecord> StartOrResumeAsync(JobRecord job, Integration integration, IReadOnlyList<RepositoryRef> repositories, SyncOptions options, CancellationToken ct)
    {
        if (job.CurrentRunId is { } current && await storage.Jobs.GetRunAsync(current, ct) is { } previous
            && (previous.Status == RunStatus.Running || (previous.Status == RunStatus.Failed && await storage.Jobs.ReopenRunAsync(previous.Id, ct))))
        {
            // A run that was interrupted (or failed, e.g. on a revoked token) goes on from its checkpoints.
            await storage.Checkpoints.ClearLeasesAsync(previous.Id, ct);
            log($"resuming run {previous.Id} from its checkpoints");
            return (await storage.Jobs.GetRunAsync(previous.Id, ct))!;
        }

        var startedAt = time.GetUtcNow();
        var since = options.Since ?? (job.LastSyncDate is { } last ? last - extraction.IncrementalOverlap : integration.Settings.FirstSyncWindow is { } w ? startedAt - w : null);
        // An incremental run first asks each repository for its newest PR: one request each, packed into one query.
        var kind = since is null ? FetchKind.PullRequests : FetchKind.RepositoryHead;
        var checkpoints = repositories.Select(r => new NewCheckpoint(r.Id, kind, r.NodeId, null, null, 0, since)).ToList();
        return await storage.Jobs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, startedAt, since, options.Embeddings && generator is not null,
            checkpoints, Math.Clamp(integration.Settings.PageSize, 1, 100)), ct);
    }

    private async Task QueueOutstandingAsync(RunRecord run, InProcessQueue queue, int extractionWorkers, CancellationToken ct)
    {
        var open = await storage.Ledger.OutstandingAsync(run.Id, ct);
        foreach (var id in open.Checkpoints.Take(extractionWorkers))
            await queue.PublishAsync(new WorkMessage(QueueNames.Extract, run.TenantId, run.Id, id), ct);
        foreach (var id in open.TransformItems)
            await queue.PublishAsync(new WorkMessage(QueueNames.Transform, run.TenantId, run.Id, id), ct);
        foreach (var id in open.EmbeddingItems)
            await queue.PublishAsync(new WorkMessage(QueueNames.Embed, run.TenantId, run.Id, id), ct);
    }

    private sealed class SilentPause : IRateLimitPauseListener
    {
        public Task PausedAsync(DateTimeOffset resumeAt, CancellationToken ct) => Task.CompletedTask;
        public Task ResumedAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
