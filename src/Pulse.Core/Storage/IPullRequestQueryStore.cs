namespace Pulse.Core.Storage;

/// <summary>The synced data as the API reads it, always within one tenant.</summary>
public interface IPullRequestQueryStore
{
    Task<IReadOnlyList<RepositorySummary>> ListRepositoriesAsync(long tenantId, CancellationToken ct);

    Task<PullRequestPage> ListAsync(PullRequestQuery query, CancellationToken ct);

    Task<PullRequestDetail?> GetAsync(long tenantId, long pullRequestId, CancellationToken ct);

    /// <summary>True when the database answers (for /healthz).</summary>
    Task<bool> PingAsync(CancellationToken ct);
}
