namespace Pulse.Core.Storage;

/// <summary>Tenants and their API keys (a key is kept only as its SHA-256 hash).</summary>
public interface ITenantStore
{
    /// <summary>The tenant of that name, created the first time.</summary>
    Task<Tenant> EnsureTenantAsync(string name, CancellationToken ct);

    /// <summary>Creates a tenant; null when the name is taken.</summary>
    Task<Tenant?> CreateTenantAsync(string name, CancellationToken ct);

    Task<Tenant?> GetTenantAsync(long tenantId, CancellationToken ct);

    /// <summary>Every tenant, oldest first.</summary>
    Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken ct);

    Task<ApiKeyRecord> AddKeyAsync(long tenantId, string name, string keyHash, string prefix, CancellationToken ct);

    /// <summary>The tenant a key hash belongs to, or null.</summary>
    Task<long?> FindTenantAsync(string keyHash, CancellationToken ct);
}
