using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalRepositoryStore(RelationalDatabase db) : IRepositoryStore
{
    public Task UpsertAsync(long tenantId, long integrationId, IReadOnlyList<RepositoryRow> rows, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // In node order: two discoveries upserting the same repositories lock them in the same order.
        foreach (var r in rows.OrderBy(r => r.NodeId, StringComparer.Ordinal))
        {
            await c.ExecuteAsync("""
                INSERT INTO repositories (tenant_id, integration_id, node_id, database_id, owner, name, full_name, description, is_private, is_archived,
                  is_fork, default_branch, language, created_at, updated_at, pushed_at, active)
                VALUES (@tenantId, @integrationId, @NodeId, @DatabaseId, @Owner, @Name, @FullName, @Description, @IsPrivate, @IsArchived,
                  @IsFork, @DefaultBranch, @Language, @CreatedAt, @UpdatedAt, @PushedAt, TRUE)
                ON CONFLICT (tenant_id, node_id) DO UPDATE SET
                  database_id = excluded.database_id, owner = excluded.owner, name = excluded.name, full_name = excluded.full_name,
                  description = excluded.description, is_private = excluded.is_private, is_archived = excluded.is_archived, is_fork = excluded.is_fork,
                  default_branch = excluded.default_branch, language = excluded.language, created_at = excluded.created_at,
                  updated_at = excluded.updated_at, pushed_at = excluded.pushed_at, active = TRUE
                """,
                new
                {
                    tenantId, integrationId, r.NodeId, r.DatabaseId, r.Owner, r.Name, FullName = $"{r.Owner}/{r.Name}", r.Description,
                    r.IsPrivate, r.IsArchived, r.IsFork, r.DefaultBranch, r.Language, r.CreatedAt, r.UpdatedAt, r.PushedAt,
                }, tx);
        }
        return 0;
    }, ct);

    public Task<IReadOnlyList<RepositoryRef>> ListActiveAsync(long tenantId, long integrationId, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RepositoryRef>)(await c.QueryAsync<(long Id, string NodeId, string Owner, string Name, string FullName)>(
                "SELECT id, node_id, owner, name, full_name FROM repositories WHERE tenant_id = @tenantId AND integration_id = @integrationId AND active = TRUE",
                new { tenantId, integrationId }))
            .OrderBy(r => r.FullName, StringComparer.Ordinal).Select(r => new RepositoryRef(r.Id, r.NodeId, r.Owner, r.Name)).ToList(), ct);

    public Task DeactivateAsync(long tenantId, long repositoryId, CancellationToken ct) => db.WriteAsync((c, tx) =>
        c.ExecuteAsync("UPDATE repositories SET active = FALSE WHERE id = @repositoryId AND tenant_id = @tenantId", new { tenantId, repositoryId }, tx), ct);

    public Task<IReadOnlyList<RepositorySummary>> ListAsync(long tenantId, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RepositorySummary>)(await c.QueryAsync<Row>("""
            SELECT r.id AS Id, r.integration_id AS IntegrationId, r.node_id AS NodeId, r.full_name AS FullName, r.description AS Description,
              r.default_branch AS DefaultBranch, r.language AS Language, r.is_private AS IsPrivate, r.is_archived AS IsArchived, r.is_fork AS IsFork,
              r.active AS Active, r.pushed_at AS PushedAt, (SELECT count(*) FROM prs p WHERE p.repository_id = r.id) AS PullRequests
            FROM repositories r WHERE r.tenant_id = @tenantId
            """, new { tenantId })).OrderBy(r => r.FullName, StringComparer.Ordinal).Select(r => r.ToSummary()).ToList(), ct);

    private sealed class Row
    {
        public long Id { get; set; }
        public long IntegrationId { get; set; }
        public string NodeId { get; set; } = "";
        public string FullName { get; set; } = "";
        public string? Description { get; set; }
        public string? DefaultBranch { get; set; }
        public string? Language { get; set; }
        public bool IsPrivate { get; set; }
        public bool IsArchived { get; set; }
        public bool IsFork { get; set; }
        public bool Active { get; set; }
        public DateTimeOffset? PushedAt { get; set; }
        public long PullRequests { get; set; }

        public RepositorySummary ToSummary() => new(Id, IntegrationId, NodeId, FullName, Description, DefaultBranch, Language, IsPrivate, IsArchived, IsFork,
            Active, PushedAt, PullRequests);
    }
}
