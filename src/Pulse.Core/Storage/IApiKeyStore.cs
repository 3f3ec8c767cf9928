namespace Pulse.Core.Storage;

/// <summary>Tenants and their API keys, for the server's authentication.</summary>
public interface IApiKeyStore
{
    /// <summary>Creates a tenant; null when the name is taken.</summary>
    Task<Tenant?> CreateTenantAsync(string name, CancellationToken ct);

    Task<Tenant?> GetTenantAsync(long tenantId, CancellationToken ct);

    Task<ApiKeyRecord> AddKeyAsync(long tenantId, string name, string keyHash, string prefix, CancellationToken ct);

    /// <summary>The tenant a key hash belongs to, or null.</summary>
    Task<long?> FindTenantAsync(string keyHash, CancellationToken ct);
}
