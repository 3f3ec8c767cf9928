using System.Text.Json;
using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

public sealed class PostgresTenantStore(PostgresDatabase db) : ITenantStore
{
    public Task<Tenant> EnsureTenantAsync(string name, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("INSERT INTO tenants (name, created_at) VALUES (@name, now()) ON CONFLICT (name) DO NOTHING", new { name }, tx);
        return await c.QuerySingleAsync<Tenant>("SELECT id AS Id, name AS Name FROM tenants WHERE name = @name", new { name }, tx);
    }, ct);

    public Task<Integration> EnsureIntegrationAsync(long tenantId, Uri graphQLUrl, string owner, string? protectedToken, IntegrationSettings settings, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var args = new { tenantId, url = graphQLUrl.ToString(), owner, token = protectedToken ?? "", settings = JsonSerializer.Serialize(settings) };
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO integrations (tenant_id, provider, graphql_url, owner, token_protected, settings, active, created_at, updated_at)
                VALUES (@tenantId, 'github', @url, @owner, @token, @settings::jsonb, TRUE, now(), now())
                ON CONFLICT (tenant_id, provider, graphql_url, owner) DO UPDATE SET
                  settings = excluded.settings,
                  token_protected = CASE WHEN excluded.token_protected <> '' THEN excluded.token_protected ELSE integrations.token_protected END,
                  updated_at = excluded.updated_at
                RETURNING id
                """, args, tx);
            return (await ReadAsync(c, tenantId, id, tx))!;
        }, ct);

    public Task<Integration?> GetIntegrationAsync(long tenantId, long integrationId, CancellationToken ct) =>
        db.ReadAsync(c => ReadAsync(c, tenantId, integrationId, null), ct);

    private static async Task<Integration?> ReadAsync(System.Data.IDbConnection c, long tenantId, long id, System.Data.IDbTransaction? tx)
    {
        var row = await c.QuerySingleOrDefaultAsync<(long Id, long TenantId, string Provider, string Url, string Owner, string Token, string Settings, bool Active)>(
            "SELECT id, tenant_id, provider, graphql_url, owner, token_protected, settings::text, active FROM integrations WHERE id = @id AND tenant_id = @tenantId",
            new { id, tenantId }, tx);
        if (row.Id == 0) return null;
        return new Integration(row.Id, row.TenantId, row.Provider, new Uri(row.Url), row.Owner, row.Token,
            JsonSerializer.Deserialize<IntegrationSettings>(row.Settings) ?? new IntegrationSettings(), row.Active);
    }
}
