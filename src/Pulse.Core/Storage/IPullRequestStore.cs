namespace Pulse.Core.Storage;

/// <summary>The synced relational rows as the API reads them, always within one tenant.</summary>
public interface IPullRequestStore
{
    Task<PullRequestPage> ListAsync(PullRequestQuery query, CancellationToken ct);

    Task<PullRequestDetail?> GetAsync(long tenantId, long pullRequestId, CancellationToken ct);

    /// <summary>True when the database answers (for /healthz).</summary>
    Task<bool> PingAsync(CancellationToken ct);
}
