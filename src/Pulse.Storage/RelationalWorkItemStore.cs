using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Storage;

public sealed class RelationalWorkItemStore(RelationalDatabase db, int embeddingBatch = 32) : IWorkItemStore
{
    private SqlDialect Dialect => db.Dialect;

    public Task<TransformInput?> LoadTransformAsync(long workItemId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        // A redelivered item (already done) does not read its page's payload at all.
        var row = await c.QuerySingleOrDefaultAsync<ItemRow>($"""
            SELECT w.id AS Id, w.run_id AS RunId, w.tenant_id AS TenantId, run.job_id AS JobId, w.raw_id AS RawId, w.state AS State,
              CASE WHEN w.state = 'pending' THEN {Dialect.PayloadColumn("rp.payload")} END AS Payload, {Dialect.JsonText("r.units")} AS Units,
              run.embeddings_enabled AS Embeddings
            FROM work_items w JOIN raw_extraction_data r ON r.id = w.raw_id JOIN raw_extraction_payloads rp ON rp.raw_id = r.id
              JOIN etl_job_runs run ON run.id = w.run_id
            WHERE w.id = @workItemId AND w.stage = 'transform'
            """, new { workItemId });
        if (row is null || row.State != "pending" || row.Payload is null) return null;
        var pending = await c.QueryAsync<(long Id, string Step)>($"""
            SELECT id, step FROM work_items
            WHERE run_id = @RunId AND {Dialect.In("step", "@steps")} AND stage = 'transform' AND raw_id = @RawId AND state = 'pending'
            """, new { row.RunId, steps = Dialect.List(TransformItems.StepNames), row.RawId });
        if (TransformItems.InStepOrder(pending) is not { } items) return null;
        var units = JsonSerializer.Deserialize<List<RawUnit>>(row.Units) ?? [];
        return new TransformInput(row.RunId, row.TenantId, row.JobId, row.Payload, units, row.Embeddings, items);
    }, ct);

    public Task<TransformCommitResult> CommitTransformAsync(IReadOnlyList<TransformBatch> batches, CancellationToken ct)
    {
        var texts = SearchTexts.Of(batches);
        return db.WriteAsync((c, tx) => CommitTransformAsync(c, tx, batches, texts, ct), ct);
    }

    private async Task<TransformCommitResult> CommitTransformAsync(DbConnection c, DbTransaction tx, IReadOnlyList<TransformBatch> batches, SearchTexts texts,
        CancellationToken ct)
    {
        var toQueue = new List<long>();
        var counted = new Dictionary<(long RunId, string Step), (long Items, long Embeds)>();
        // A page's steps share a writer: a PR key looked up (or written) for one step serves the next.
        var writers = new Dictionary<(long TenantId, long RunId), RowWriter>();
        var committed = new List<long>();
        foreach (var batch in batches)
        {
            if (!writers.TryGetValue((batch.TenantId, batch.RunId), out var writer))
                writers[(batch.TenantId, batch.RunId)] = writer = new RowWriter(Dialect, c, tx, batch.TenantId, batch.RunId, ct, texts);
            if (await CommitAsync(c, tx, writer, batch, toQueue) is not { } embeds) continue;
            committed.Add(batch.WorkItemId);
            var (items, queued) = counted.GetValueOrDefault((batch.RunId, batch.Step));
            counted[(batch.RunId, batch.Step)] = (items + batch.ItemCount, queued + embeds);
        }
        // Once per call, after its items: a raw answer is done when none of its items is left waiting or pending.
        if (committed.Count > 0)
            await c.ExecuteAsync($"""
                UPDATE raw_extraction_data SET status = 'done'
                WHERE id IN (SELECT raw_id FROM work_items WHERE {Dialect.In("id", "@committed")})
                  AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.raw_id = raw_extraction_data.id AND w.state IN ('waiting', 'pending'))
                """, new { committed = Dialect.List(committed) }, tx);
        // Last, and in step order, as every writer of run_steps takes its rows: held only to the commit, never in a cycle.
        foreach (var ((runId, step), (count, embeds)) in counted.OrderBy(s => s.Key.RunId).ThenBy(s => GitHubPrJob.Step(s.Key.Step).Order))
        {
            await c.ExecuteAsync("UPDATE run_steps SET items_done = items_done + @count, embed_total = embed_total + @embeds WHERE run_id = @runId AND step = @step",
                new { count, embeds, runId, step }, tx);
        }
        return new TransformCommitResult(toQueue);
    }

    /// <summary>One batch: how many rows it queued for embedding, or null when its item was no longer pending (a redelivery, or a sibling's transform took it).</summary>
    private async Task<long?> CommitAsync(DbConnection c, DbTransaction tx, RowWriter writer, TransformBatch batch, List<long> toQueue)
    {
        var now = db.Now;
        // Done-marker first: a redelivered message (or a second worker holding the same one) finds the item done and writes nothing.
        if (await c.ExecuteAsync("UPDATE work_items SET state = 'done', updated_at = @now WHERE id = @WorkItemId AND state = 'pending'",
                new { batch.WorkItemId, now }, tx) == 0)
            return null;

        var changed = new List<(string Table, long Id)>();
        changed.AddRange((await writer.PullRequestsAsync(batch.PullRequests)).Select(id => ("prs", id)));
        await writer.ParentPullRequestsAsync(batch.ParentPullRequests);
        await writer.TimelineEventsAsync(batch.TimelineEvents);
        await writer.LabelsAsync(batch.Labels);
        changed.AddRange((await writer.CommitsAsync(batch.Commits)).Select(id => ("prs_commits", id)));
        await writer.KeepCommitsAsync(batch.KeptCommits);
        changed.AddRange((await writer.ReviewsAsync(batch.Reviews)).Select(id => ("prs_reviews", id)));
        await writer.ThreadsAsync(batch.Threads);
        changed.AddRange((await writer.CommentsAsync(batch.Comments)).Select(id => ("prs_comments", id)));

        if (!batch.CreateEmbeddingWork) return 0;
        var needing = await NeedingEmbeddingAsync(c, tx, batch.TenantId, changed);
        foreach (var chunk in needing.Chunk(embeddingBatch))
        {
            toQueue.Add(await c.ExecuteScalarAsync<long>("""
                INSERT INTO work_items (tenant_id, run_id, step, stage, payload, state, created_at, updated_at)
                VALUES (@TenantId, @RunId, @Step, 'embedding', @payload, 'pending', @now, @now) RETURNING id
                """, new { batch.TenantId, batch.RunId, batch.Step, payload = JsonSerializer.Serialize(chunk.Select(x => new[] { x.Table, x.Id.ToString(CultureInfo.InvariantCulture) })), now },
                tx));
        }
        return needing.Count;
    }

    /// <summary>Rows whose text has no vector yet, or a vector of older text.</summary>
    private async Task<List<(string Table, long Id)>> NeedingEmbeddingAsync(DbConnection c, DbTransaction tx, long tenantId, List<(string Table, long Id)> rows)
    {
        var result = new List<(string, long)>();
        foreach (var group in rows.GroupBy(r => r.Table))
        {
            foreach (var chunk in group.Select(r => r.Id).Distinct().Order().Chunk(500))
            {
                var sql = $"""
                    SELECT t.id FROM {group.Key} t
                    WHERE {Dialect.In("t.id", "@chunk")} AND NOT EXISTS (
                      SELECT 1 FROM embeddings e WHERE e.tenant_id = @tenantId AND e.table_name = @table AND e.row_id = t.id AND e.content_hash = t.content_hash)
                    ORDER BY t.id
                    """;
                result.AddRange((await c.QueryAsync<long>(sql, new { chunk = Dialect.List(chunk), tenantId, table = group.Key }, tx)).Select(id => (group.Key, id)));
            }
        }
        return result;
    }

    public Task<bool> RecordFailureAsync(long workItemId, string error, int maxAttempts, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE work_items SET attempts = attempts + 1, error = @error, updated_at = @now,
              state = CASE WHEN attempts + 1 >= @maxAttempts THEN 'failed' ELSE state END,
              failed_at = CASE WHEN attempts + 1 >= @maxAttempts THEN @now ELSE failed_at END
            WHERE id = @workItemId AND state = 'pending'
            """, new { workItemId, error, maxAttempts, now = db.Now }, tx);
        return await c.ExecuteScalarAsync<string>("SELECT state FROM work_items WHERE id = @workItemId", new { workItemId }, tx) == "failed";
    }, ct);

    private sealed class ItemRow
    {
        public long Id { get; set; }
        public long RunId { get; set; }
        public long TenantId { get; set; }
        public long JobId { get; set; }
        public long RawId { get; set; }
        public string State { get; set; } = "";
        public byte[]? Payload { get; set; }
        public string Units { get; set; } = "[]";
        public bool Embeddings { get; set; }
    }
}
