using System.Data;
using System.Runtime.InteropServices;
using System.Text.Json;
using Dapper;
using Pulse.Core.Embed;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// Vectors as float32 blobs beside their content hash. SQLite has no vector index, so search
/// scans the tenant's vectors; that is fine at embedded scale (PostgreSQL uses HNSW).
/// </summary>
public sealed class SqliteEmbeddingStore(SqliteDatabase db) : IEmbeddingStore
{
    private static readonly Dictionary<string, string> TextSql = new()
    {
        ["prs"] = "SELECT id, title AS a, body AS b, content_hash AS h FROM prs WHERE id IN @ids",
        ["prs_commits"] = "SELECT id, message AS a, NULL AS b, content_hash AS h FROM prs_commits WHERE id IN @ids",
        ["prs_reviews"] = "SELECT id, body AS a, NULL AS b, content_hash AS h FROM prs_reviews WHERE id IN @ids",
        ["prs_comments"] = "SELECT id, body AS a, NULL AS b, content_hash AS h FROM prs_comments WHERE id IN @ids",
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
            var ids = group.Select(r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
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
        var now = DateTimeOffset.UtcNow;
        var claimed = await c.ExecuteAsync("UPDATE work_items SET state = 'done', updated_at = @now WHERE id = @workItemId AND state = 'pending'", new { workItemId, now }, tx);
        if (claimed == 0) return 0;
        var tenantId = await c.ExecuteScalarAsync<long>("SELECT tenant_id FROM work_items WHERE id = @workItemId", new { workItemId }, tx);
        foreach (var v in vectors)
        {
            await c.ExecuteAsync("""
                INSERT INTO embeddings (tenant_id, table_name, row_id, model, content_hash, dimensions, vector, created_at)
                VALUES (@tenantId, @Table, @RowId, @model, @ContentHash, @dims, @blob, @now)
                ON CONFLICT (tenant_id, table_name, row_id, model) DO UPDATE SET
                  content_hash = excluded.content_hash, dimensions = excluded.dimensions, vector = excluded.vector, created_at = excluded.created_at
                """, new { tenantId, v.Table, v.RowId, model, v.ContentHash, dims = v.Vector.Length, blob = MemoryMarshal.AsBytes(v.Vector.AsSpan()).ToArray(), now }, tx);
        }
        return 1;
    }, ct);

    public Task<bool> RecordFailureAsync(long workItemId, string error, int maxAttempts, CancellationToken ct) =>
        SqliteWorkItems.RecordFailureAsync(db, workItemId, error, maxAttempts, ct);

    public Task<IReadOnlyList<SearchHit>> SearchAsync(long tenantId, string model, float[] query, string? repository, int limit, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var rows = await c.QueryAsync<(string Table, long RowId, byte[] Vector, string Repo, long Number, string Title, string Text)>("""
            SELECT e.table_name, e.row_id, e.vector, r.full_name, p.number, p.title,
              COALESCE(CASE e.table_name WHEN 'prs' THEN p.body WHEN 'prs_commits' THEN cm.message WHEN 'prs_reviews' THEN rv.body ELSE co.body END, '')
            FROM embeddings e
            LEFT JOIN prs_commits cm ON e.table_name = 'prs_commits' AND cm.id = e.row_id
            LEFT JOIN prs_reviews rv ON e.table_name = 'prs_reviews' AND rv.id = e.row_id
            LEFT JOIN prs_comments co ON e.table_name = 'prs_comments' AND co.id = e.row_id
            JOIN prs p ON p.id = CASE e.table_name WHEN 'prs' THEN e.row_id WHEN 'prs_commits' THEN cm.pr_id WHEN 'prs_reviews' THEN rv.pr_id ELSE co.pr_id END
            JOIN repositories r ON r.id = p.repository_id
            WHERE e.tenant_id = @tenantId AND e.model = @model AND (@repository IS NULL OR r.full_name = @repository OR r.name = @repository)
            """, new { tenantId, model, repository });
        return (IReadOnlyList<SearchHit>)rows
            .Select(r => (r, score: Dot(query, MemoryMarshal.Cast<byte, float>(r.Vector))))
            .OrderByDescending(x => x.score).Take(limit)
            .Select(x => new SearchHit(x.r.Table, x.r.RowId, x.score, x.r.Repo, (int)x.r.Number, x.r.Title, Snippet(x.r.Table == "prs" ? x.r.Title + " " + x.r.Text : x.r.Text)))
            .ToList();
    }, ct);

    /// <summary>Rows whose text has no vector yet, or a vector of older text.</summary>
    internal static async Task<List<(string Table, long Id)>> NeedingEmbeddingAsync(IDbConnection c, IDbTransaction tx, long tenantId, List<(string Table, long Id)> rows)
    {
        var result = new List<(string, long)>();
        foreach (var group in rows.GroupBy(r => r.Table))
        {
            var ids = group.Select(r => r.Id).Distinct().ToList();
            foreach (var chunk in ids.Chunk(500))
            {
                var sql = $"""
                    SELECT t.id FROM {group.Key} t
                    WHERE t.id IN @chunk AND NOT EXISTS (
                      SELECT 1 FROM embeddings e WHERE e.tenant_id = @tenantId AND e.table_name = @table AND e.row_id = t.id AND e.content_hash = t.content_hash)
                    """;
                result.AddRange((await c.QueryAsync<long>(sql, new { chunk, tenantId, table = group.Key }, tx)).Select(id => (group.Key, id)));
            }
        }
        return result;
    }

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++) sum += a[i] * b[i];
        return sum;
    }

    private static string Snippet(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 160 ? flat : flat[..160] + "…";
    }
}
