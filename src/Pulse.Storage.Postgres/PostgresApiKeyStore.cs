using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>Tenants and their API keys; a key is kept only as its SHA-256 hash (unique, so a lookup is one index probe).</summary>
public sealed class PostgresApiKeyStore(PostgresDatabase db) : IApiKeyStore
{
    public Task<Tenant?> CreateTenantAsync(string name, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.QuerySingleOrDefaultAsync<Tenant>("""
            INSERT INTO tenants (name, created_at) VALUES (@name, now()) ON CONFLICT (name) DO NOTHING RETURNING id AS Id, name AS Name
            """, new { name }, tx), ct);

    public Task<Tenant?> GetTenantAsync(long tenantId, CancellationToken ct) => db.ReadAsync(c =>
        c.QuerySingleOrDefaultAsync<Tenant>("SELECT id AS Id, name AS Name FROM tenants WHERE id = @tenantId", new { tenantId }), ct);

    public Task<ApiKeyRecord> AddKeyAsync(long tenantId, string name, string keyHash, string prefix, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = Pg.Utc(DateTimeOffset.UtcNow);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO api_keys (tenant_id, name, key_hash, key_prefix, created_at) VALUES (@tenantId, @name, @keyHash, @prefix, @now) RETURNING id
            """, new { tenantId, name, keyHash, prefix, now }, tx);
        return new ApiKeyRecord(id, tenantId, name, prefix, now);
    }, ct);

    public Task<long?> FindTenantAsync(string keyHash, CancellationToken ct) => db.ReadAsync(c =>
        c.ExecuteScalarAsync<long?>("SELECT tenant_id FROM api_keys WHERE key_hash = @keyHash", new { keyHash }), ct);
}
