namespace Pulse.Core.Storage;

/// <summary>Tenants and their GitHub integrations.</summary>
public interface ITenantStore
{
    Task<Tenant> EnsureTenantAsync(string name, CancellationToken ct);

    /// <summary>Finds the integration for (tenant, url, owner) or creates it; a given token replaces the stored one.</summary>
    Task<Integration> EnsureIntegrationAsync(long tenantId, Uri graphQLUrl, string owner, string? protectedToken, IntegrationSettings settings, CancellationToken ct);

    Task<Integration?> GetIntegrationAsync(long tenantId, long integrationId, CancellationToken ct);
}
