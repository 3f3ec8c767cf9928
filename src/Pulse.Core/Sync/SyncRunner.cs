using Microsoft.Extensions.AI;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// <c>pulse sync</c>: the job launched and, on the embedded default, its workers run in this process
/// until the run ends, with a watchdog that queues again whatever the database says is still open.
/// With a shared <paramref name="sharedQueue"/> (RabbitMQ) the work may run in <c>pulse worker</c> processes
/// on any host; the watchdog then acts when the database shows no progress for <see cref="SyncOptions.QuietTimeout"/>.
/// </summary>
public sealed class SyncRunner(
    PulseStorage storage,
    ISecretProtector secrets,
    HttpClient http,
    TimeProvider time,
    IEmbeddingGenerator<string, Embedding<float>>? generator,
    string embeddingModel,
    ExtractOptions extraction,
    RateLimitBudgetOptions budgetOptions,
    IJobEventBus events,
    Action<string> log,
    IWorkQueue? sharedQueue = null,
    Func<string, IRateLimitBudget>? budgetFactory = null,
    bool runWorkers = true)
{
    public async Task<SyncResult> RunAsync(SyncOptions options, Action<JobStatus, RateLimitInfo?>? progress, CancellationToken ct)
    {
        var tenant = await storage.Tenants.EnsureTenantAsync(options.TenantName, ct);
        var settings = new IntegrationSettings { RepositoryFilters = options.Repositories };
        var integration = await storage.Integrations.EnsureAsync(tenant.Id, options.GraphQLUrl, options.Owner, secrets.Protect(options.Token), settings, ct);
        await storage.Jobs.EnsureJobAsync(tenant.Id, integration.Id, GitHubPrJob.DiscoveryJobName, ct);
        var job = await storage.Jobs.EnsureJobAsync(tenant.Id, integration.Id, GitHubPrJob.Name, ct);

        var connections = new GitHubConnections(storage.Integrations, secrets, http, time, budgetOptions, budgetFactory);
        var inProcess = sharedQueue as InProcessQueue ?? (sharedQueue is null ? new InProcessQueue() : null);
        var queue = (IWorkQueue?)inProcess ?? sharedQueue!;
        var coordinator = new RunCoordinator(storage.Runs, queue, events, time);
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
            new PipelineHostOptions { ExtractWorkers = options.ExtractWorkers, TransformWorkers = options.TransformWorkers, EmbedWorkers = options.EmbedWorkers },
            log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loops = runWorkers ? host.Start(stop.Token) : [];
        var connection = await connections.ForIntegrationAsync(tenant.Id, integration.Id, ct);
        await host.QueueOutstandingAsync(run, ct);
        await coordinator.AfterCommitAsync(run.Id, ct);

        var idleTicks = 0;
        var lastProgress = "";
        var lastProgressAt = time.GetUtcNow();
        while (true)
        {
            run = (await storage.Runs.GetRunAsync(run.Id, ct))!;
            var status = await storage.Runs.GetStatusAsync(job.Id, ct);
            progress?.Invoke(status, connection.Budget.Current);
            if (run.Status != RunStatus.Running) break;
            await Task.Delay(options.ProgressInterval, time, ct);

            bool quiet;
            if (inProcess is not null)
            {
                // Embedded: nothing queued, nothing running, yet the run is open.
                var idle = host.Busy == 0 && QueueNames.All.All(q => inProcess.Depth(q) == 0);
                idleTicks = idle ? idleTicks + 1 : 0;
                quiet = idleTicks >= 2;
            }
            else
            {
                // A broker's depth and other hosts' work are not visible here: the database's progress is.
                var seen = ProgressSignature(status);
                if (seen != lastProgress) (lastProgress, lastProgressAt) = (seen, time.GetUtcNow());
                quiet = time.GetUtcNow() - lastProgressAt >= options.QuietTimeout;
            }
            if (quiet)
            {
                idleTicks = 0;
                lastProgressAt = time.GetUtcNow();
                log("watchdog: the run went quiet; queuing its open work again");
                await coordinator.AfterCommitAsync(run.Id, ct);
                await host.QueueOutstandingAsync(run, ct);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        return new SyncResult(run.Status == RunStatus.Succeeded, run.Id, run.Error, repositories);
    }

    private static string ProgressSignature(JobStatus status) => string.Join(";", status.Steps.OrderBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => $"{s.Value.Extraction},{s.Value.Transform},{s.Value.Embedding},{s.Value.Progress.Done},{s.Value.Progress.Total},{s.Value.Progress.Pages}"));
}
