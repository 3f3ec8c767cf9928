using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

public sealed class PostgresRepositoryStore(PostgresDatabase db) : IRepositoryStore
{
    public Task UpsertAsync(long tenantId, long integrationId, IReadOnlyList<RepositoryRow> rows, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
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
                    r.IsPrivate, r.IsArchived, r.IsFork, r.DefaultBranch, r.Language,
                    CreatedAt = Pg.Utc(r.CreatedAt), UpdatedAt = Pg.Utc(r.UpdatedAt), PushedAt = Pg.Utc(r.PushedAt),
                }, tx);
        }
        return 0;
    }, ct);

    public Task<IReadOnlyList<RepositoryRef>> ListActiveAsync(long tenantId, long integrationId, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RepositoryRef>)(await c.QueryAsync<RepositoryRef>(
            "SELECT id AS Id, node_id AS NodeId, owner AS Owner, name AS Name FROM repositories WHERE tenant_id = @tenantId AND integration_id = @integrationId AND active ORDER BY full_name COLLATE \"C\"",
            new { tenantId, integrationId })).ToList(), ct);

    public Task DeactivateAsync(long tenantId, long repositoryId, CancellationToken ct) => db.WriteAsync((c, tx) =>
        c.ExecuteAsync("UPDATE repositories SET active = FALSE WHERE id = @repositoryId AND tenant_id = @tenantId", new { tenantId, repositoryId }, tx), ct);
}
