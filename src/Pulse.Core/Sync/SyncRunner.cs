using Pulse.Core.Embed;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// <c>pulse sync</c>: the github_prs job launched (or its interrupted run resumed) and watched until the run ends. The stage
/// workers are the host's (<see cref="PipelineService"/>): in this process on the embedded default, in <c>pulse worker</c>
/// processes with a shared queue.
/// </summary>
public sealed class SyncRunner(ITenantStore tenants, IIntegrationStore integrations, IJobStore jobs, ISecretProtector secrets, IGitHubConnections connections, JobLauncher launcher,
    PipelineHost host, RunCoordinator coordinator, RunWatchdog watchdog, EmbeddingModel? embedding = null)
{
    public async Task<SyncResult> RunAsync(SyncOptions options, Action<JobStatus, RateLimitInfo?>? progress, CancellationToken ct)
    {
        var tenant = await tenants.EnsureTenantAsync(options.TenantName, ct);
        // The bot list is edited in the API or dashboard, not on the command line: a sync keeps it.
        var existing = (await integrations.ListAsync(tenant.Id, ct)).FirstOrDefault(i => i.GraphQLUrl == options.GraphQLUrl && i.Owner == options.Owner);
        var settings = new IntegrationSettings { RepositoryFilters = options.Repositories, BotLogins = existing?.Settings.BotLogins ?? [] };
        var integration = await integrations.EnsureAsync(tenant.Id, options.GraphQLUrl, options.Owner, secrets.Protect(options.Token), settings, ct);
        await jobs.EnsureJobAsync(tenant.Id, integration.Id, GitHubPrJob.DiscoveryJobName, ct);
        var job = await jobs.EnsureJobAsync(tenant.Id, integration.Id, GitHubPrJob.Name, ct);

        RunRecord run;
        int repositories;
        try
        {
            (run, repositories) = await launcher.LaunchAsync(job, options.Embeddings && embedding is not null, options.Since, options.Repositories.Count > 0, ct);
        }
        catch (GitHubException e)
        {
            return new SyncResult(false, 0, e.Message, 0);
        }

        var connection = await connections.ForIntegrationAsync(tenant.Id, integration.Id, ct);
        await host.QueueOutstandingAsync(run, ct);
        await coordinator.AfterCommitAsync(run.Id, ct);
        run = await watchdog.WatchAsync(run, (status, _) =>
        {
            progress?.Invoke(status, connection.Budget.Current);
            return Task.CompletedTask;
        }, ct);
        return new SyncResult(run.Status == RunStatus.Succeeded, run.Id, run.Error, repositories);
    }
}
