namespace Pulse.Core.Storage;

/// <summary>A tenant's GitHub integrations: every call is scoped to the tenant.</summary>
public interface IIntegrationStore
{
    /// <summary>Finds the integration for (tenant, url, owner) or creates it; a given token replaces the stored one.</summary>
    Task<Integration> EnsureAsync(long tenantId, Uri graphQLUrl, string owner, string? protectedToken, IntegrationSettings settings, CancellationToken ct);

    /// <summary>Creates the integration and its <c>github_prs</c> job; null when (url, owner) already exists for the tenant.</summary>
    Task<Integration?> CreateAsync(long tenantId, Uri graphQLUrl, string owner, string protectedToken, IntegrationSettings settings, DateTimeOffset firstRun, CancellationToken ct);

    Task<Integration?> GetAsync(long tenantId, long integrationId, CancellationToken ct);

    Task<IReadOnlyList<Integration>> ListAsync(long tenantId, CancellationToken ct);

    /// <summary>Applies the change; false when the integration does not exist for the tenant.</summary>
    Task<bool> UpdateAsync(long tenantId, long integrationId, IntegrationChange change, CancellationToken ct);

    Task<bool> SetActiveAsync(long tenantId, long integrationId, bool active, CancellationToken ct);

    /// <summary>Deletes the integration and everything synced through it, in one transaction.</summary>
    Task<bool> DeleteAsync(long tenantId, long integrationId, CancellationToken ct);
}
