using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Pulse.Core.Extract;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Storage.Sqlite;

public sealed class SqliteTransformStore(SqliteDatabase db, int embeddingBatch = 32) : ITransformStore
{
    public Task<TransformInput?> LoadAsync(long workItemId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        // The payload is read as its UTF-8 bytes (CAST AS BLOB keeps them): the transform parses those, never a UTF-16 copy.
        // A redelivered item (already done) does not read it at all.
        var row = await c.QuerySingleOrDefaultAsync<(long Id, long RunId, long TenantId, long RawId, string State, byte[] Payload, string Units, long Embeddings)>("""
            SELECT w.id, w.run_id, w.tenant_id, w.raw_id, w.state, CASE WHEN w.state = 'pending' THEN CAST(r.payload AS BLOB) END, r.units, run.embeddings_enabled
            FROM work_items w JOIN raw_extraction_data r ON r.id = w.raw_id JOIN etl_job_runs run ON run.id = w.run_id
            WHERE w.id = @workItemId AND w.stage = 'transform'
            """, new { workItemId });
        if (row.Id == 0 || row.State != "pending") return null;
        var pending = await c.QueryAsync<(long Id, string Step)>("""
            SELECT id, step FROM work_items
            WHERE run_id = @RunId AND step IN @steps AND stage = 'transform' AND raw_id = @RawId AND state = 'pending'
            """, new { row.RunId, steps = TransformItems.StepNames, row.RawId });
        if (TransformItems.InStepOrder(pending) is not { } items) return null;
        var units = JsonSerializer.Deserialize<List<RawUnit>>(row.Units) ?? [];
        return new TransformInput(row.RunId, row.TenantId, row.Payload, units, row.Embeddings != 0, items);
    }, ct);

    public Task<TransformCommitResult> CommitAsync(IReadOnlyList<TransformBatch> batches, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var toQueue = new List<long>();
        foreach (var batch in batches) toQueue.AddRange(await CommitAsync(c, tx, batch, ct));
        return new TransformCommitResult(toQueue);
    }, ct);

    private async Task<List<long>> CommitAsync(SqliteConnection c, SqliteTransaction tx, TransformBatch batch, CancellationToken ct)
    {
        // Done-marker first: a redelivered message finds the item done and writes nothing.
        var claimed = await c.ExecuteAsync("UPDATE work_items SET state = 'done', updated_at = @now WHERE id = @WorkItemId AND state = 'pending'",
            new { batch.WorkItemId, now = DateTimeOffset.UtcNow }, tx);
        if (claimed == 0) return [];

        var writer = new SqliteRowWriter(db, c, batch.TenantId, batch.RunId, ct);
        var changed = new List<(string Table, long Id)>();
        foreach (var pr in batch.PullRequests) changed.Add(("prs", await writer.UpsertPullRequestAsync(pr)));
        foreach (var commit in batch.Commits) changed.Add(("prs_commits", await writer.UpsertCommitAsync(commit)));
        foreach (var review in batch.Reviews) changed.Add(("prs_reviews", await writer.UpsertReviewAsync(review)));
        foreach (var thread in batch.Threads) await writer.UpsertThreadAsync(thread);
        foreach (var comment in batch.Comments) changed.Add(("prs_comments", await writer.UpsertCommentAsync(comment)));

        await c.ExecuteAsync("UPDATE run_steps SET items_done = items_done + @count WHERE run_id = @RunId AND step = @Step",
            new { count = batch.ItemCount, batch.RunId, batch.Step }, tx);
        await c.ExecuteAsync("""
            UPDATE raw_extraction_data SET status = 'done'
            WHERE id = (SELECT raw_id FROM work_items WHERE id = @WorkItemId)
              AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.raw_id = raw_extraction_data.id AND w.state IN ('waiting', 'pending'))
            """, new { batch.WorkItemId }, tx);

        var toQueue = new List<long>();
        if (batch.CreateEmbeddingWork)
        {
            var needing = await SqliteEmbeddingStore.NeedingEmbeddingAsync(c, tx, batch.TenantId, changed);
            foreach (var chunk in needing.Chunk(embeddingBatch))
            {
                var id = await c.ExecuteScalarAsync<long>("""
                    INSERT INTO work_items (tenant_id, run_id, step, stage, payload, state, created_at, updated_at)
                    VALUES (@TenantId, @RunId, @Step, 'embedding', @payload, 'pending', @now, @now) RETURNING id
                    """, new { batch.TenantId, batch.RunId, batch.Step, payload = JsonSerializer.Serialize(chunk.Select(x => new[] { x.Table, x.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })), now = DateTimeOffset.UtcNow }, tx);
                toQueue.Add(id);
            }
        }
        return toQueue;
    }

    public Task<bool> RecordFailureAsync(long workItemId, string error, int maxAttempts, CancellationToken ct) =>
        SqliteWorkItems.RecordFailureAsync(db, workItemId, error, maxAttempts, ct);
}

/// <summary>Failure bookkeeping shared by the transform and embedding stages.</summary>
internal static class SqliteWorkItems
{
    public static Task<bool> RecordFailureAsync(SqliteDatabase db, long workItemId, string error, int maxAttempts, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE work_items SET attempts = attempts + 1, error = @error, updated_at = @now,
              state = CASE WHEN attempts + 1 >= @maxAttempts THEN 'failed' ELSE state END
            WHERE id = @workItemId AND state = 'pending'
            """, new { workItemId, error, maxAttempts, now = DateTimeOffset.UtcNow }, tx);
        return await c.ExecuteScalarAsync<string>("SELECT state FROM work_items WHERE id = @workItemId", new { workItemId }, tx) == "failed";
    }, ct);
}
