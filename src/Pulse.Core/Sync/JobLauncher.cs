using Microsoft.Extensions.Logging;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// Starts the <c>github_prs</c> job of an integration: discovery first if it has no repositories,
/// then a new run, or the interrupted one resumed from its checkpoints.
/// </summary>
public sealed class JobLauncher(IIntegrationStore integrations, IRepositoryStore repositories, IRunStore runs, ICheckpointStore checkpoints, IGitHubConnections connections,
    ExtractOptions extraction, TimeProvider time, ILogger<JobLauncher> logger)
{
    /// <summary>Runs discovery now: the owner's repositories, filtered by the integration's name rules.</summary>
    public async Task<IReadOnlyList<RepositoryRef>> DiscoverAsync(Integration integration, CancellationToken ct)
    {
        var connection = await connections.ForIntegrationAsync(integration.TenantId, integration.Id, ct);
        var found = await new RepositoryDiscovery(repositories).DiscoverAsync(integration, connection, new SilentPause(), ct);
        logger.LogInformation("discovery: {Repositories} repositories of {Owner}", found, integration.Owner);
        return (await repositories.ListActiveAsync(integration.TenantId, integration.Id, ct)).Where(r => integration.Settings.Includes(r.Name)).ToList();
    }

    /// <summary>Starts (or resumes) a run of the job. Throws <see cref="GitHubException"/> when discovery cannot reach GitHub.</summary>
    public async Task<(RunRecord Run, int Repositories)> LaunchAsync(JobRecord job, bool embeddings, DateTimeOffset? since, bool rediscover, CancellationToken ct)
    {
        var integration = await integrations.GetAsync(job.TenantId, job.IntegrationId, ct)
            ?? throw new InvalidOperationException($"Integration {job.IntegrationId} does not exist.");
        var active = (await repositories.ListActiveAsync(job.TenantId, job.IntegrationId, ct)).Where(r => integration.Settings.Includes(r.Name)).ToList();
        if (active.Count == 0 || rediscover) active = [.. await DiscoverAsync(integration, ct)];

        if (job.CurrentRunId is { } current && await runs.GetRunAsync(current, ct) is { } previous
            && (previous.Status == RunStatus.Running || (previous.Status == RunStatus.Failed && await RunStateMachine.ReopenAsync(runs, previous.Id, ct))))
        {
            // An interrupted run (or one that failed, e.g. on a revoked token) goes on from its checkpoints.
            await checkpoints.ClearLeasesAsync(previous.Id, ct);
            logger.LogInformation("resuming run {RunId} from its checkpoints", previous.Id);
            return ((await runs.GetRunAsync(previous.Id, ct))!, active.Count);
        }

        var startedAt = time.GetUtcNow();
        var window = since ?? (job.LastSyncDate is { } last ? last - extraction.IncrementalOverlap
            : integration.Settings.FirstSyncWindow is { } w ? startedAt - w : null);
        // An incremental run first asks each repository for its newest PR: one request each, packed into one query.
        var kind = window is null ? FetchKind.PullRequests : FetchKind.RepositoryHead;
        var first = active.Select(r => new NewCheckpoint(r.Id, kind, r.NodeId, null, null, 0, window)).ToList();
        var run = await runs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, startedAt, window, embeddings,
            first, Math.Clamp(integration.Settings.PageSize, 1, 100)), ct);
        logger.LogInformation("run {RunId}: {Kind} of {Repositories} repositories", run.Id, window is null ? "full sync" : $"incremental since {window:u}", active.Count);
        return (run, active.Count);
    }

    private sealed class SilentPause : IRateLimitPauseListener
    {
        public Task PausedAsync(DateTimeOffset resumeAt, CancellationToken ct) => Task.CompletedTask;
        public Task ResumedAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
