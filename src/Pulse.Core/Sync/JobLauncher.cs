using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// Starts the <c>github_prs</c> job of an integration: discovery first if it has no repositories,
/// then a new run, or the interrupted one resumed from its checkpoints.
/// </summary>
public sealed class JobLauncher(PulseStorage storage, IGitHubConnections connections, ExtractOptions extraction, TimeProvider time, Action<string> log)
{
    /// <summary>Runs discovery now: the owner's repositories, filtered by the integration's name rules.</summary>
    public async Task<IReadOnlyList<RepositoryRef>> DiscoverAsync(Integration integration, CancellationToken ct)
    {
        var connection = await connections.ForIntegrationAsync(integration.TenantId, integration.Id, ct);
        var found = await new RepositoryDiscovery(storage.Repositories).DiscoverAsync(integration, connection, new SilentPause(), ct);
        log($"discovery: {found} repositories of {integration.Owner}");
        return (await storage.Repositories.ListActiveAsync(integration.TenantId, integration.Id, ct)).Where(r => integration.Settings.Includes(r.Name)).ToList();
    }

    /// <summary>Starts (or resumes) a run of the job. Throws <see cref="GitHubException"/> when discovery cannot reach GitHub.</summary>
    public async Task<(RunRecord Run, int Repositories)> LaunchAsync(JobRecord job, bool embeddings, DateTimeOffset? since, bool rediscover, CancellationToken ct)
    {
        var integration = await storage.Integrations.GetAsync(job.TenantId, job.IntegrationId, ct)
            ?? throw new InvalidOperationException($"Integration {job.IntegrationId} does not exist.");
        var repositories = (await storage.Repositories.ListActiveAsync(job.TenantId, job.IntegrationId, ct)).Where(r => integration.Settings.Includes(r.Name)).ToList();
        if (repositories.Count == 0 || rediscover) repositories = [.. await DiscoverAsync(integration, ct)];

        if (job.CurrentRunId is { } current && await storage.Runs.GetRunAsync(current, ct) is { } previous
            && (previous.Status == RunStatus.Running || (previous.Status == RunStatus.Failed && await RunStateMachine.ReopenAsync(storage.Runs, previous.Id, ct))))
        {
            // An interrupted run (or one that failed, e.g. on a revoked token) goes on from its checkpoints.
            await storage.Checkpoints.ClearLeasesAsync(previous.Id, ct);
            log($"resuming run {previous.Id} from its checkpoints");
            return ((await storage.Runs.GetRunAsync(previous.Id, ct))!, repositories.Count);
        }

        var startedAt = time.GetUtcNow();
        var window = since ?? (job.LastSyncDate is { } last ? last - extraction.IncrementalOverlap
            : integration.Settings.FirstSyncWindow is { } w ? startedAt - w : null);
        // An incremental run first asks each repository for its newest PR: one request each, packed into one query.
        var kind = window is null ? FetchKind.PullRequests : FetchKind.RepositoryHead;
        var checkpoints = repositories.Select(r => new NewCheckpoint(r.Id, kind, r.NodeId, null, null, 0, window)).ToList();
        var run = await storage.Runs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, startedAt, window, embeddings,
            checkpoints, Math.Clamp(integration.Settings.PageSize, 1, 100)), ct);
        log($"run {run.Id}: {(window is null ? "full sync" : $"incremental since {window:u}")} of {repositories.Count} repositories");
        return (run, repositories.Count);
    }

    private sealed class SilentPause : IRateLimitPauseListener
    {
        public Task PausedAsync(DateTimeOffset resumeAt, CancellationToken ct) => Task.CompletedTask;
        public Task ResumedAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
