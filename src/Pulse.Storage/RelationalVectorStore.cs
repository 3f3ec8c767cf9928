using System.Data;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Pulse.Core.Embed;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>Vectors beside their content hash; how they are stored is the dialect's (SQLite: float32 blobs; PostgreSQL: pgvector).</summary>
public sealed class RelationalVectorStore(RelationalDatabase db) : IVectorStore
{
    private static readonly Dictionary<string, string> TextColumns = new()
    {
        ["prs"] = "title AS a, body AS b",
        ["prs_commits"] = "message AS a, NULL AS b",
        ["prs_reviews"] = "body AS a, NULL AS b",
        ["prs_comments"] = "body AS a, NULL AS b",
    };

    private static readonly SqlBatch Upsert = new("embedding.upsert", """
        INSERT INTO embeddings (tenant_id, table_name, row_id, model, content_hash, dimensions, vector, created_at)
        VALUES (@tenantId, @table, @rowId, @model, @hash, @dimensions, @vector, @now)
        ON CONFLICT (tenant_id, table_name, row_id, model) DO UPDATE SET
          content_hash = excluded.content_hash, dimensions = excluded.dimensions, vector = excluded.vector, created_at = excluded.created_at
        """, [("tenantId", DbType.Int64), ("table", DbType.String), ("rowId", DbType.Int64), ("model", DbType.String), ("hash", DbType.String),
            ("dimensions", DbType.Int64), ("vector", DbType.Object), ("now", DbType.DateTimeOffset)]);

    public Task<EmbeddingInput?> LoadAsync(long workItemId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var item = await c.QuerySingleOrDefaultAsync<(long Id, long RunId, long TenantId, string Step, string State, string Payload)>(
            "SELECT id, run_id, tenant_id, step, state, payload FROM work_items WHERE id = @workItemId AND stage = 'embedding'", new { workItemId });
        if (item.Id == 0 || item.State != "pending") return null;
        var targets = new List<EmbeddingTarget>();
        foreach (var group in (JsonSerializer.Deserialize<List<string[]>>(item.Payload) ?? []).GroupBy(r => r[0]))
        {
            var ids = group.Select(r => long.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
            foreach (var row in await c.QueryAsync<(long Id, string A, string? B, string H)>(
                         $"SELECT id, {TextColumns[group.Key]}, content_hash AS h FROM {group.Key} WHERE {db.Dialect.In("id", "@ids")} ORDER BY id", new { ids = db.Dialect.List(ids) }))
            {
                var text = group.Key == "prs" ? EmbeddingText.PullRequest(row.A, row.B) : row.A;
                if (!string.IsNullOrWhiteSpace(text)) targets.Add(new EmbeddingTarget(group.Key, row.Id, text, row.H));
            }
        }
        return new EmbeddingInput(item.Id, item.RunId, item.TenantId, item.Step, targets);
    }, ct);

    public Task<IReadOnlyDictionary<string, float[]>> KnownAsync(long tenantId, string model, IReadOnlyList<string> contentHashes, CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            var known = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var chunk in contentHashes.Distinct(StringComparer.Ordinal).Chunk(500))
            {
                // One row per hash, chosen in the index (tenant_id, model, content_hash) without reading a vector: a common text
                // (an identical commit message, a template) is held by thousands of rows of a large organisation, and reading
                // every one of their vectors on each item made the embed stage allocate ~150 MB/s (bench/results/embeddings-memory.md).
                foreach (var (hash, vector) in await c.QueryAsync<(string, object)>(
                             $"""
                             SELECT content_hash, vector FROM embeddings WHERE id IN (
                               SELECT MIN(id) FROM embeddings
                               WHERE tenant_id = @tenantId AND model = @model AND {db.Dialect.In("content_hash", "@chunk")} GROUP BY content_hash)
                             """,
                             new { tenantId, model, chunk = db.Dialect.List(chunk) }))
                    known.TryAdd(hash, db.Dialect.VectorValue(vector));
            }
            return (IReadOnlyDictionary<string, float[]>)known;
        }, ct);

    public Task CommitAsync(long workItemId, string model, IReadOnlyList<EmbeddingVector> vectors, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.Now;
        if (await c.ExecuteAsync("UPDATE work_items SET state = 'done', updated_at = @now WHERE id = @workItemId AND state = 'pending'", new { workItemId, now }, tx) == 0)
            return 0;
        var item = await c.QuerySingleAsync<(long TenantId, long RunId, string Step, string Payload)>(
            "SELECT tenant_id, run_id, step, payload FROM work_items WHERE id = @workItemId", new { workItemId }, tx);
        var tenantId = item.TenantId;
        // In key order: two workers storing vectors of the same rows lock them in the same order.
        await db.Dialect.RunManyAsync(c, tx, Upsert, vectors.OrderBy(v => v.Table, StringComparer.Ordinal).ThenBy(v => v.RowId)
            .Select(v => new object?[] { tenantId, v.Table, v.RowId, model, v.ContentHash, (long)v.Vector.Length, db.Dialect.Vector(v.Vector), now }).ToList(), ct);
        // Progress counts the item's rows, as the transform queued them (a row whose text is empty has no vector but is done).
        var rows = JsonSerializer.Deserialize<List<string[]>>(item.Payload)?.Count ?? 0;
        await c.ExecuteAsync("UPDATE run_steps SET embed_done = embed_done + @rows WHERE run_id = @RunId AND step = @Step", new { rows, item.RunId, item.Step }, tx);
        return 1;
    }, ct);
}
