using Microsoft.Extensions.AI;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// <c>pulse sync</c> on the embedded default: the job launched and its workers run in this process
/// until the run ends, with a watchdog that queues again whatever the database says is still open.
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
        var queue = new InProcessQueue();
        var coordinator = new RunCoordinator(storage.Ledger, storage.Jobs, queue, events, time);
        var launcher = new JobLauncher(storage, connections, extraction, time, log);
        RunRecord run;
        int repositories;
        try
        {
            (run, repositories) = await launcher.LaunchAsync(job, options.Embeddings && generator is not null, options.Since, options.Repositories.Count > 0, ct);
        }
        catch (GitHubException e)
        {
            return new SyncResult(false, 0, e.Message, 0);
        }

        var host = new PipelineHost(storage, queue, connections, coordinator, run.EmbeddingsEnabled ? generator : null, embeddingModel, extraction, time,
            new PipelineHostOptions { ExtractionWorkers = options.ExtractionWorkers, TransformWorkers = options.TransformWorkers, EmbeddingWorkers = options.EmbeddingWorkers },
            log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loops = host.Start(stop.Token);
        var connection = await connections.ForIntegrationAsync(tenant.Id, integration.Id, ct);
        await host.QueueOutstandingAsync(run, ct);
        await coordinator.AfterCommitAsync(run.Id, ct);

        var idleTicks = 0;
        while (true)
        {
            run = (await storage.Jobs.GetRunAsync(run.Id, ct))!;
            progress?.Invoke(await storage.Jobs.GetStatusAsync(job.Id, ct), connection.Budget.Current);
            if (run.Status != RunStatus.Running) break;
            await Task.Delay(options.ProgressInterval, time, ct);

            // Watchdog: nothing queued, nothing running, yet the run is open: queue again what the database holds.
            var idle = host.Busy == 0 && QueueNames.All.All(q => queue.Depth(q) == 0);
            idleTicks = idle ? idleTicks + 1 : 0;
            if (idleTicks >= 2)
            {
                idleTicks = 0;
                await coordinator.AfterCommitAsync(run.Id, ct);
                await host.QueueOutstandingAsync(run, ct);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        return new SyncResult(run.Status == RunStatus.Succeeded, run.Id, run.Error, repositories);
    }
}
