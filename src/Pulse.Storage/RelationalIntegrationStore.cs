using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalIntegrationStore(RelationalDatabase db) : IIntegrationStore
{
    private const string Prs = "(SELECT id FROM prs WHERE repository_id IN (SELECT id FROM repositories WHERE integration_id = @id))";
    private const string Runs = "(SELECT id FROM etl_job_runs WHERE integration_id = @id)";

    // Children first: every table below holds a foreign key to one above it or to the integration.
    private static readonly string[] DeleteOrder =
    [
        $"DELETE FROM embeddings WHERE tenant_id = @tenantId AND table_name = 'prs' AND row_id IN {Prs}",
        $"DELETE FROM embeddings WHERE tenant_id = @tenantId AND table_name = 'prs_commits' AND row_id IN (SELECT id FROM prs_commits WHERE pr_id IN {Prs})",
        $"DELETE FROM embeddings WHERE tenant_id = @tenantId AND table_name = 'prs_reviews' AND row_id IN (SELECT id FROM prs_reviews WHERE pr_id IN {Prs})",
        $"DELETE FROM embeddings WHERE tenant_id = @tenantId AND table_name = 'prs_comments' AND row_id IN (SELECT id FROM prs_comments WHERE pr_id IN {Prs})",
        $"DELETE FROM search_documents WHERE pr_id IN {Prs}",
        $"DELETE FROM pr_metrics WHERE pr_id IN {Prs}",
        $"DELETE FROM prs_timeline_events WHERE pr_id IN {Prs}",
        $"DELETE FROM prs_labels WHERE pr_id IN {Prs}",
        $"DELETE FROM prs_comments WHERE pr_id IN {Prs}",
        $"DELETE FROM prs_review_threads WHERE pr_id IN {Prs}",
        $"DELETE FROM prs_reviews WHERE pr_id IN {Prs}",
        $"DELETE FROM prs_commits WHERE pr_id IN {Prs}",
        "DELETE FROM prs WHERE repository_id IN (SELECT id FROM repositories WHERE integration_id = @id)",
        $"DELETE FROM work_items WHERE run_id IN {Runs}",
        "DELETE FROM webhook_deliveries WHERE integration_id = @id",
        "DELETE FROM raw_extraction_payloads WHERE raw_id IN (SELECT id FROM raw_extraction_data WHERE integration_id = @id)",
        "DELETE FROM raw_extraction_data WHERE integration_id = @id",
        $"DELETE FROM checkpoints WHERE run_id IN {Runs}",
        $"DELETE FROM run_steps WHERE run_id IN {Runs}",
        $"DELETE FROM extraction_turns WHERE run_id IN {Runs}",
        $"DELETE FROM run_stages WHERE run_id IN {Runs}",
        $"DELETE FROM run_stage_events WHERE run_id IN {Runs}",
        "DELETE FROM etl_job_runs WHERE integration_id = @id",
        "DELETE FROM job_leases WHERE job_id IN (SELECT id FROM etl_jobs WHERE integration_id = @id)",
        "DELETE FROM etl_jobs WHERE integration_id = @id",
        "DELETE FROM repositories WHERE integration_id = @id",
        "DELETE FROM integrations WHERE id = @id",
    ];

    private string Columns => $"""
        id AS Id, tenant_id AS TenantId, provider AS Provider, graphql_url AS Url, owner AS Owner, token_protected AS Token,
        {db.Dialect.JsonText("settings")} AS Settings, active AS Active, created_at AS CreatedAt, updated_at AS UpdatedAt,
        webhook_secret_protected IS NOT NULL AS HasWebhookSecret
        """;

    public Task<Integration> EnsureAsync(long tenantId, Uri graphQLUrl, string owner, string? protectedToken, IntegrationSettings settings, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<long>($"""
                INSERT INTO integrations (tenant_id, provider, graphql_url, owner, token_protected, settings, active, created_at, updated_at)
                VALUES (@tenantId, 'github', @url, @owner, @token, {db.Dialect.Json("@settings")}, TRUE, @now, @now)
                ON CONFLICT (tenant_id, provider, graphql_url, owner) DO UPDATE SET
                  settings = excluded.settings,
                  token_protected = CASE WHEN excluded.token_protected <> '' THEN excluded.token_protected ELSE integrations.token_protected END,
                  updated_at = excluded.updated_at
                RETURNING id
                """, new { tenantId, url = graphQLUrl.ToString(), owner, token = protectedToken ?? "", settings = JsonSerializer.Serialize(settings), now = db.Now }, tx);
            return (await ReadAsync(c, tx, tenantId, id))!;
        }, ct);

    public Task<Integration?> CreateAsync(long tenantId, Uri graphQLUrl, string owner, string protectedToken, IntegrationSettings settings, DateTimeOffset firstRun,
        CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.Now;
        var id = await c.ExecuteScalarAsync<long?>($"""
            INSERT INTO integrations (tenant_id, provider, graphql_url, owner, token_protected, settings, active, created_at, updated_at)
            VALUES (@tenantId, 'github', @url, @owner, @protectedToken, {db.Dialect.Json("@settings")}, TRUE, @now, @now)
            ON CONFLICT (tenant_id, provider, graphql_url, owner) DO NOTHING RETURNING id
            """, new { tenantId, url = graphQLUrl.ToString(), owner, protectedToken, settings = JsonSerializer.Serialize(settings), now }, tx);
        if (id is null) return null;
        var jobId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO etl_jobs (tenant_id, integration_id, job_name, status, overall, next_run)
            VALUES (@tenantId, @id, @name, '{}', 'READY', @firstRun) RETURNING id
            """, new { tenantId, id, name = GitHubPrJob.Name, firstRun }, tx);
        await JobStatusReader.RefreshAsync(c, tx, db.Dialect, jobId);
        return await ReadAsync(c, tx, tenantId, id.Value);
    }, ct);

    public Task<Integration?> GetAsync(long tenantId, long integrationId, CancellationToken ct) =>
        db.ReadAsync(c => ReadAsync(c, null, tenantId, integrationId), ct);

    public Task<IReadOnlyList<Integration>> ListAsync(long tenantId, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<Integration>)(await c.QueryAsync<Row>($"SELECT {Columns} FROM integrations WHERE tenant_id = @tenantId ORDER BY id", new { tenantId }))
            .Select(r => r.ToIntegration()).ToList(), ct);

    public Task<bool> UpdateAsync(long tenantId, long integrationId, IntegrationChange change, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync($"""
            UPDATE integrations SET
              graphql_url = COALESCE(@url, graphql_url), owner = COALESCE(@owner, owner),
              token_protected = COALESCE(@token, token_protected), settings = COALESCE({db.Dialect.Json("@settings")}, settings), updated_at = @now,
              webhook_secret_protected = CASE WHEN @webhookSecret IS NULL THEN webhook_secret_protected WHEN @webhookSecret = '' THEN NULL ELSE @webhookSecret END
            WHERE id = @integrationId AND tenant_id = @tenantId
            """, new
        {
            tenantId, integrationId, url = change.GraphQLUrl?.ToString(), owner = change.Owner, token = change.ProtectedToken,
            settings = change.Settings is null ? null : JsonSerializer.Serialize(change.Settings), now = db.Now, webhookSecret = change.ProtectedWebhookSecret,
        }, tx) > 0, ct);

    public Task<bool> SetActiveAsync(long tenantId, long integrationId, bool active, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE integrations SET active = @active, updated_at = @now WHERE id = @integrationId AND tenant_id = @tenantId",
            new { tenantId, integrationId, active, now = db.Now }, tx) > 0, ct);

    public Task<bool> DeleteAsync(long tenantId, long integrationId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var args = new { tenantId, id = integrationId };
        // The row lock keeps a concurrent run start of this integration from re-adding children mid-delete.
        if (await c.ExecuteScalarAsync<long?>($"SELECT id FROM integrations WHERE id = @id AND tenant_id = @tenantId{db.Dialect.ForUpdate}", args, tx) is null)
            return false;
        foreach (var sql in DeleteOrder) await c.ExecuteAsync(sql, args, tx);
        return true;
    }, ct);

    private async Task<Integration?> ReadAsync(DbConnection c, DbTransaction? tx, long tenantId, long id) =>
        (await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM integrations WHERE id = @id AND tenant_id = @tenantId", new { id, tenantId }, tx))?.ToIntegration();

    private sealed class Row
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public string Provider { get; set; } = "";
        public string Url { get; set; } = "";
        public string Owner { get; set; } = "";
        public string Token { get; set; } = "";
        public string Settings { get; set; } = "{}";
        public bool Active { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
        public bool HasWebhookSecret { get; set; }

        public Integration ToIntegration() => new(Id, TenantId, Provider, new Uri(Url), Owner, Token,
            JsonSerializer.Deserialize<IntegrationSettings>(Settings) ?? new IntegrationSettings(), Active, CreatedAt, UpdatedAt) { HasWebhookSecret = HasWebhookSecret };
    }
}
