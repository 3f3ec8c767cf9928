namespace Pulse.Core.Storage;

/// <summary>Integrations as the API edits them: every call is scoped to a tenant.</summary>
public interface IIntegrationStore
{
    Task<IReadOnlyList<IntegrationSummary>> ListAsync(long tenantId, CancellationToken ct);

    Task<IntegrationSummary?> GetAsync(long tenantId, long integrationId, CancellationToken ct);

    /// <summary>Creates the integration and its <c>github_prs</c> job; null when (url, owner) already exists for the tenant.</summary>
    Task<IntegrationSummary?> CreateAsync(long tenantId, Uri graphQLUrl, string owner, string protectedToken, IntegrationSettings settings, DateTimeOffset firstRun, CancellationToken ct);

    /// <summary>Applies the change; false when the integration does not exist for the tenant.</summary>
    Task<bool> UpdateAsync(long tenantId, long integrationId, IntegrationChange change, CancellationToken ct);

    Task<bool> SetActiveAsync(long tenantId, long integrationId, bool active, CancellationToken ct);

    /// <summary>Deletes the integration and everything synced through it, in one transaction.</summary>
    Task<bool> DeleteAsync(long tenantId, long integrationId, CancellationToken ct);
}
