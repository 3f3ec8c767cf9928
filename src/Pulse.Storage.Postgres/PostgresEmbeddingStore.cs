using System.Data;
using System.Text.Json;
using Dapper;
using Npgsql;
using Pgvector;
using Pulse.Core.Embed;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>Vectors in a pgvector <c>vector(384)</c> column with an HNSW cosine index; search orders by <c>&lt;=&gt;</c> through it.</summary>
public sealed class PostgresEmbeddingStore(PostgresDatabase db) : IEmbeddingStore
{
    private static readonly Dictionary<string, string> TextSql = new()
    {
        ["prs"] = "SELECT id, title AS a, body AS b, content_hash AS h FROM prs WHERE id = ANY(@ids)",
        ["prs_commits"] = "SELECT id, message AS a, NULL AS b, content_hash AS h FROM prs_commits WHERE id = ANY(@ids)",
        ["prs_reviews"] = "SELECT id, body AS a, NULL AS b, content_hash AS h FROM prs_reviews WHERE id = ANY(@ids)",
        ["prs_comments"] = "SELECT id, body AS a, NULL AS b, content_hash AS h FROM prs_comments WHERE id = ANY(@ids)",
    };

    public Task<EmbeddingInput?> LoadAsync(long workItemId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var item = await c.QuerySingleOrDefaultAsync<(long Id, long RunId, long TenantId, string Step, string State, string Payload)>(
            "SELECT id, run_id, tenant_id, step, state, payload FROM work_items WHERE id = @workItemId AND stage = 'embedding'", new { workItemId });
        if (item.Id == 0 || item.State != "pending") return null;
        var refs = JsonSerializer.Deserialize<List<string[]>>(item.Payload) ?? [];
        var targets = new List<EmbeddingTarget>();
        foreach (var group in refs.GroupBy(r => r[0]))
        {
            var ids = group.Select(r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            foreach (var row in await c.QueryAsync<(long Id, string A, string? B, string H)>(TextSql[group.Key], new { ids }))
            {
                var text = group.Key == "prs" ? EmbeddingText.PullRequest(row.A, row.B) : row.A;
                if (!string.IsNullOrWhiteSpace(text)) targets.Add(new EmbeddingTarget(group.Key, row.Id, text, row.H));
            }
        }
        return new EmbeddingInput(item.Id, item.RunId, item.TenantId, item.Step, targets);
    }, ct);

    public Task CommitAsync(long workItemId, string model, IReadOnlyList<EmbeddingVector> vectors, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var claimed = await c.ExecuteAsync("UPDATE work_items SET state = 'done', updated_at = now() WHERE id = @workItemId AND state = 'pending'", new { workItemId }, tx);
        if (claimed == 0) return 0;
        var tenantId = await c.ExecuteScalarAsync<long>("SELECT tenant_id FROM work_items WHERE id = @workItemId", new { workItemId }, tx);
        if (vectors.Count == 0) return 1;
        // One round trip for the whole batch.
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var v in vectors.OrderBy(v => v.Table, StringComparer.Ordinal).ThenBy(v => v.RowId))
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO embeddings (tenant_id, table_name, row_id, model, content_hash, dimensions, vector, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, now())
                ON CONFLICT (tenant_id, table_name, row_id, model) DO UPDATE SET
                  content_hash = excluded.content_hash, dimensions = excluded.dimensions, vector = excluded.vector, created_at = excluded.created_at
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            command.Parameters.Add(new NpgsqlParameter { Value = v.Table });
            command.Parameters.Add(new NpgsqlParameter { Value = v.RowId });
            command.Parameters.Add(new NpgsqlParameter { Value = model });
            command.Parameters.Add(new NpgsqlParameter { Value = v.ContentHash });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)v.Vector.Length });
            command.Parameters.Add(new NpgsqlParameter { Value = new Vector(v.Vector) });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(ct);
        return 1;
    }, ct);

    public Task<bool> RecordFailureAsync(long workItemId, string error, int maxAttempts, CancellationToken ct) =>
        PostgresWorkItems.RecordFailureAsync(db, workItemId, error, maxAttempts, ct);

    public Task<IReadOnlyList<SearchHit>> SearchAsync(long tenantId, string model, float[] query, string? repository, int limit, CancellationToken ct) => db.ReadAsync(async c =>
    {
        // The nearest vectors come from the HNSW index (ORDER BY distance LIMIT); joins then name their PRs.
        await using var command = new NpgsqlCommand("""
            WITH nearest AS (
              SELECT e.table_name, e.row_id, e.vector <=> $1 AS distance FROM embeddings e
              WHERE e.tenant_id = $2 AND e.model = $3 ORDER BY e.vector <=> $1 LIMIT $4)
            SELECT n.table_name, n.row_id, 1 - n.distance, r.full_name, p.number, p.title,
              COALESCE(CASE n.table_name WHEN 'prs' THEN p.body WHEN 'prs_commits' THEN cm.message WHEN 'prs_reviews' THEN rv.body ELSE co.body END, '')
            FROM nearest n
            LEFT JOIN prs_commits cm ON n.table_name = 'prs_commits' AND cm.id = n.row_id
            LEFT JOIN prs_reviews rv ON n.table_name = 'prs_reviews' AND rv.id = n.row_id
            LEFT JOIN prs_comments co ON n.table_name = 'prs_comments' AND co.id = n.row_id
            JOIN prs p ON p.id = CASE n.table_name WHEN 'prs' THEN n.row_id WHEN 'prs_commits' THEN cm.pr_id WHEN 'prs_reviews' THEN rv.pr_id ELSE co.pr_id END
            JOIN repositories r ON r.id = p.repository_id
            WHERE $5::text IS NULL OR r.full_name = $5 OR r.name = $5
            ORDER BY n.distance LIMIT $6
            """, c);
        command.Parameters.Add(new NpgsqlParameter { Value = new Vector(query) });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        // A repository filter is applied after the index: ask it for more candidates.
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(repository is null ? limit : Math.Max(limit * 20, 200)) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)repository ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)limit });
        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            var text = reader.GetString(6);
            hits.Add(new SearchHit(table, reader.GetInt64(1), reader.GetDouble(2), reader.GetString(3), (int)reader.GetInt64(4), reader.GetString(5),
                Snippet(table == "prs" ? reader.GetString(5) + " " + text : text)));
        }
        return (IReadOnlyList<SearchHit>)hits;
    }, ct);

    /// <summary>Rows whose text has no vector yet, or a vector of older text.</summary>
    internal static async Task<List<(string Table, long Id)>> NeedingEmbeddingAsync(IDbConnection c, IDbTransaction tx, long tenantId, List<(string Table, long Id)> rows)
    {
        var result = new List<(string, long)>();
        foreach (var group in rows.GroupBy(r => r.Table))
        {
            var ids = group.Select(r => r.Id).Distinct().ToArray();
            var sql = $"""
                SELECT t.id FROM {group.Key} t
                WHERE t.id = ANY(@ids) AND NOT EXISTS (
                  SELECT 1 FROM embeddings e WHERE e.tenant_id = @tenantId AND e.table_name = @table AND e.row_id = t.id AND e.content_hash = t.content_hash)
                ORDER BY t.id
                """;
            result.AddRange((await c.QueryAsync<long>(sql, new { ids, tenantId, table = group.Key }, tx)).Select(id => (group.Key, id)));
        }
        return result;
    }

    private static string Snippet(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 160 ? flat : flat[..160] + "…";
    }
}
