using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

public sealed class SqliteApiKeyStore(SqliteDatabase db) : IApiKeyStore
{
    public Task<Tenant?> CreateTenantAsync(string name, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.QuerySingleOrDefaultAsync<Tenant>("""
            INSERT INTO tenants (name, created_at) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING RETURNING id AS Id, name AS Name
            """, new { name, now = DateTimeOffset.UtcNow }, tx), ct);

    public Task<Tenant?> GetTenantAsync(long tenantId, CancellationToken ct) => db.ReadAsync(c =>
        c.QuerySingleOrDefaultAsync<Tenant>("SELECT id AS Id, name AS Name FROM tenants WHERE id = @tenantId", new { tenantId }), ct);

    public Task<ApiKeyRecord> AddKeyAsync(long tenantId, string name, string keyHash, string prefix, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = DateTimeOffset.UtcNow;
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO api_keys (tenant_id, name, key_hash, key_prefix, created_at) VALUES (@tenantId, @name, @keyHash, @prefix, @now) RETURNING id
            """, new { tenantId, name, keyHash, prefix, now }, tx);
        return new ApiKeyRecord(id, tenantId, name, prefix, now);
    }, ct);

    public Task<long?> FindTenantAsync(string keyHash, CancellationToken ct) => db.ReadAsync(c =>
        c.ExecuteScalarAsync<long?>("SELECT tenant_id FROM api_keys WHERE key_hash = @keyHash", new { keyHash }), ct);
}
