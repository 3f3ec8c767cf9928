using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalTenantStore(RelationalDatabase db) : ITenantStore
{
    public Task<Tenant> EnsureTenantAsync(string name, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("INSERT INTO tenants (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING", new { name, now = db.Now }, tx);
        return await c.QuerySingleAsync<Tenant>("SELECT id AS Id, name AS Name FROM tenants WHERE name = @name", new { name }, tx);
    }, ct);

    public Task<Tenant?> CreateTenantAsync(string name, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.QuerySingleOrDefaultAsync<Tenant>("""
            INSERT INTO tenants (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING RETURNING id AS Id, name AS Name
            """, new { name, now = db.Now }, tx), ct);

    public Task<Tenant?> GetTenantAsync(long tenantId, CancellationToken ct) => db.ReadAsync(c =>
        c.QuerySingleOrDefaultAsync<Tenant>("SELECT id AS Id, name AS Name FROM tenants WHERE id = @tenantId", new { tenantId }), ct);

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<Tenant>)(await c.QueryAsync<Tenant>("SELECT id AS Id, name AS Name FROM tenants ORDER BY id")).ToList(), ct);

    public Task<ApiKeyRecord> AddKeyAsync(long tenantId, string name, string keyHash, string prefix, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.Now;
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO api_keys (tenant_id, name, key_hash, key_prefix, created_at) VALUES (@tenantId, @name, @keyHash, @prefix, @now) RETURNING id
            """, new { tenantId, name, keyHash, prefix, now }, tx);
        return new ApiKeyRecord(id, tenantId, name, prefix, now);
    }, ct);

    public Task<long?> FindTenantAsync(string keyHash, CancellationToken ct) => db.ReadAsync(c =>
        c.ExecuteScalarAsync<long?>("SELECT tenant_id FROM api_keys WHERE key_hash = @keyHash", new { keyHash }), ct);
}
