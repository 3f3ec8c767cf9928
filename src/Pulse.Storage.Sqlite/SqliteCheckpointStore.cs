using System.Data;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

public sealed class SqliteCheckpointStore(SqliteDatabase db) : ICheckpointStore
{
    private const string Columns = """
        cp.id AS Id, cp.run_id AS RunId, cp.tenant_id AS TenantId, cp.repository_id AS RepositoryId, cp.kind AS Kind,
        cp.parent_node_id AS ParentNodeId, cp.pr_node_id AS PullRequestNodeId, cp.cursor AS Cursor, cp.remaining AS Remaining,
        cp.attempts AS Attempts, cp.page_size AS PageSize, cp.since AS Since, r.owner AS Owner, r.name AS Name
        """;

    public Task<ExtractTurn?> ClaimTurnAsync(IReadOnlyCollection<long> skipRuns, bool owedIfNone, int max, string owner, DateTimeOffset leaseUntil,
        CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = DateTimeOffset.UtcNow;
        // Least recently served first (never served: before all).
        var runId = await c.ExecuteScalarAsync<long?>($"""
            SELECT r.id FROM etl_job_runs r LEFT JOIN extraction_turns t ON t.run_id = r.id
            WHERE r.status = 'running' AND r.id NOT IN @skipRuns
              AND EXISTS (SELECT 1 FROM checkpoints cp INDEXED BY checkpoints_claim WHERE {Claimable("r.id")})
            ORDER BY t.last_turn, r.id LIMIT 1
            """, new { skipRuns, now }, tx);
        if (runId is null)
        {
            // Claims in flight may commit work that no queued message would take: this message is owed back.
            if (owedIfNone && await c.ExecuteScalarAsync<long>("""
                    SELECT EXISTS (SELECT 1 FROM etl_job_runs r JOIN checkpoints cp INDEXED BY checkpoints_claim ON cp.run_id = r.id
                      WHERE r.status = 'running' AND cp.status = 'pending' AND cp.lease_until >= @now)
                    """, new { now }, tx) == 1)
                await c.ExecuteAsync("UPDATE extraction_pool SET starved = starved + 1 WHERE id = 1", transaction: tx);
            return (ExtractTurn?)null;
        }

        var turn = await c.ExecuteScalarAsync<long>("UPDATE extraction_pool SET turns = turns + 1 WHERE id = 1 RETURNING turns", transaction: tx);
        await c.ExecuteAsync("""
            INSERT INTO extraction_turns (run_id, last_turn, last_served_at) VALUES (@runId, @turn, @now)
            ON CONFLICT (run_id) DO UPDATE SET last_turn = excluded.last_turn, last_served_at = excluded.last_served_at
            """, new { runId, turn, now }, tx);
        // Oldest first: in checkpoints_claim the rowid follows (run_id, status), so this reads only as many entries as it takes.
        var rows = (await c.QueryAsync<Row>($"""
            SELECT {Columns} FROM checkpoints cp INDEXED BY checkpoints_claim JOIN repositories r ON r.id = cp.repository_id
            WHERE {Claimable("@runId")} ORDER BY cp.id LIMIT @max
            """, new { runId, now, max }, tx)).ToList();
        await c.ExecuteAsync("UPDATE checkpoints SET lease_owner = @owner, lease_until = @leaseUntil WHERE id IN @ids",
            new { owner, leaseUntil, ids = rows.Select(r => r.Id).ToList() }, tx);
        return new ExtractTurn(runId.Value, rows.Select(r => r.ToCheckpoint()).ToList());
    }, ct);

    /// <summary>Pending and not leased; a lease that ran out belongs to a worker that died.</summary>
    private static string Claimable(string run) => $"cp.run_id = {run} AND cp.status = 'pending' AND (cp.lease_until IS NULL OR cp.lease_until < @now)";

    public Task ReleaseAsync(IReadOnlyList<long> checkpointIds, string owner, CheckpointRelease release, CancellationToken ct)
    {
        if (checkpointIds.Count == 0) return Task.CompletedTask;
        return db.WriteAsync(async (c, tx) =>
        {
            var ids = checkpointIds.ToList();
            var released = (await c.QueryAsync<long>("""
                UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL,
                  attempts = attempts + @inc, page_size = COALESCE(@pageSize, page_size), error = COALESCE(@error, error)
                WHERE id IN @ids AND lease_owner = @owner RETURNING id
                """, new { ids, owner, inc = release.CountAttempt ? 1 : 0, pageSize = release.PageSize, error = release.FailWith }, tx)).ToList();
            if (release.FailWith is not null && released.Count > 0)
                await c.ExecuteAsync("UPDATE checkpoints SET status = 'failed' WHERE id IN @ids AND status = 'pending' AND attempts >= @max",
                    new { ids = released, max = release.MaxAttempts }, tx);
            return 0;
        }, ct);
    }

    public Task<PageCommitResult> CommitPageAsync(ExtractedPage page, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var outcome = page.Outcome;
        // The fence: writers take turns here, so what this reads cannot change before the commit.
        var leased = outcome.Advances.Select(a => a.CheckpointId).Distinct().ToList();
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM checkpoints WHERE id IN @leased AND lease_owner = @owner",
                new { leased, owner = page.LeaseOwner }, tx) != leased.Count)
            return PageCommitResult.LeaseLost;
        var now = DateTimeOffset.UtcNow;
        var rawId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, entity_type, query_hash, variables, payload, units, status, points, requests, created_at)
            VALUES (@TenantId, @IntegrationId, @RunId, @EntityType, @QueryHash, @VariablesJson, CAST(@Payload AS TEXT), @units, @status, @Points, @Requests, @now) RETURNING id
            """, new
            {
                page.TenantId, page.IntegrationId, page.RunId, page.EntityType, page.QueryHash, page.VariablesJson, page.Payload,
                units = JsonSerializer.Serialize(outcome.Units), status = outcome.StepsWithData.Any() ? "pending" : "done", page.Points, page.Requests, now,
            }, tx);

        using (var advance = new SqliteStatement(c, tx, """
                   UPDATE checkpoints SET cursor = @Cursor, status = CASE WHEN @Done THEN 'done' ELSE 'pending' END, remaining = @Remaining,
                     pages = pages + 1, items = items + @ItemsFetched, attempts = 0, error = @Error, page_size = COALESCE(@PageSize, page_size),
                     lease_owner = NULL, lease_until = NULL
                   WHERE id = @CheckpointId AND status = 'pending'
                   """, "Cursor", "Done", "Remaining", "ItemsFetched", "Error", "PageSize", "CheckpointId"))
        using (var fail = new SqliteStatement(c, tx,
                   "UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL, attempts = attempts + 1, error = @Error WHERE id = @CheckpointId",
                   "Error", "CheckpointId"))
        {
            foreach (var a in outcome.Advances)
            {
                if (a.Failed) await fail.Set("Error", a.Error).Set("CheckpointId", a.CheckpointId).ExecuteAsync(ct);
                else await advance.Set("Cursor", a.Cursor).Set("Done", a.Done).Set("Remaining", a.Remaining).Set("ItemsFetched", a.ItemsFetched)
                    .Set("Error", a.Error).Set("PageSize", a.PageSize).Set("CheckpointId", a.CheckpointId).ExecuteAsync(ct);
            }
        }
        var failed = outcome.Advances.Where(a => a.Failed).Select(a => a.CheckpointId).ToList();
        if (failed.Count > 0)
            await c.ExecuteAsync("UPDATE checkpoints SET status = 'failed' WHERE id IN @failed AND status = 'pending' AND attempts >= @max",
                new { failed, max = page.MaxAttempts }, tx);
        await InsertAsync(c, tx, page.TenantId, page.RunId, outcome.NewCheckpoints, 100, ct);

        foreach (var (step, total) in outcome.StepTotals)
            await c.ExecuteAsync("UPDATE run_steps SET items_total = items_total + @total WHERE run_id = @RunId AND step = @step", new { page.RunId, step, total }, tx);
        foreach (var step in outcome.Units.Select(u => FetchKinds.StepOf(u.Kind).Name).Distinct())
            await c.ExecuteAsync("UPDATE run_steps SET pages = pages + 1 WHERE run_id = @RunId AND step = @step", new { page.RunId, step }, tx);
        await c.ExecuteAsync("UPDATE etl_job_runs SET points = points + @Points, requests = requests + @Requests, pages = pages + 1 WHERE id = @RunId", page, tx);

        var toQueue = new List<long>();
        foreach (var step in outcome.StepsWithData)
        {
            // A step's transform waits for the transforms of the steps its rows hold foreign keys to.
            var open = true;
            foreach (var needed in GitHubPrJob.TransformStartsAfter(step))
                open = open && await SqliteRunLedger.StateAsync(c, tx, page.RunId, needed.Name, Stage.Transform) == StageState.Finished;
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO work_items (tenant_id, run_id, step, stage, raw_id, state, created_at, updated_at)
                VALUES (@TenantId, @RunId, @step, 'transform', @rawId, @state, @now, @now) RETURNING id
                """, new { page.TenantId, page.RunId, step = step.Name, rawId, state = open ? "pending" : "waiting", now }, tx);
            if (open) toQueue.Add(id);
        }
        return new PageCommitResult(rawId, toQueue);
    }, ct);

    public async Task<int> SettleTurnAsync(long runId, bool handedOn, CancellationToken ct)
    {
        // A read sees what is owed: claims are write transactions, so one that found nothing either committed before this
        // turn's commit (and is visible now) or began after it (and found this turn's work).
        var (pending, starved) = await db.ReadAsync(c => c.QuerySingleAsync<(long, long)>("""
            SELECT EXISTS (SELECT 1 FROM checkpoints INDEXED BY checkpoints_claim WHERE run_id = @runId AND status = 'pending'),
              (SELECT starved FROM extraction_pool WHERE id = 1)
            """, new { runId }), ct);
        var owed = starved > 0 && await db.WriteAsync((c, tx) =>
            c.ExecuteAsync("UPDATE extraction_pool SET starved = starved - 1 WHERE id = 1 AND starved > 0", transaction: tx), ct) > 0;
        return (pending == 1 && !handedOn ? 1 : 0) + (owed ? 1 : 0);
    }

    public Task ClearLeasesAsync(long runId, CancellationToken ct) => db.WriteAsync((c, tx) =>
        c.ExecuteAsync("UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL WHERE run_id = @runId AND lease_owner IS NOT NULL", new { runId }, tx), ct);

    internal static async Task InsertAsync(SqliteConnection c, SqliteTransaction tx, long tenantId, long runId, IReadOnlyList<NewCheckpoint> checkpoints, int pageSize,
        CancellationToken ct)
    {
        // The same connection can be revealed twice (a PR that moved between listing pages): keep the first.
        using var insert = new SqliteStatement(c, tx, """
            INSERT INTO checkpoints (tenant_id, run_id, repository_id, kind, parent_node_id, pr_node_id, cursor, remaining, since, page_size)
            VALUES (@tenantId, @runId, @RepositoryId, @kind, @ParentNodeId, @PullRequestNodeId, @Cursor, @Remaining, @Since, @pageSize)
            ON CONFLICT (run_id, kind, parent_node_id) DO NOTHING
            """, "tenantId", "runId", "RepositoryId", "kind", "ParentNodeId", "PullRequestNodeId", "Cursor", "Remaining", "Since", "pageSize");
        insert.Set("tenantId", tenantId).Set("runId", runId).Set("pageSize", pageSize);
        foreach (var n in checkpoints)
        {
            await insert.Set("RepositoryId", n.RepositoryId).Set("kind", FetchKinds.Name(n.Kind)).Set("ParentNodeId", n.ParentNodeId)
                .Set("PullRequestNodeId", n.PullRequestNodeId).Set("Cursor", n.Cursor).Set("Remaining", n.Remaining).Set("Since", n.Since).ExecuteAsync(ct);
        }
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public long RunId { get; set; }
        public long TenantId { get; set; }
        public long RepositoryId { get; set; }
        public string Kind { get; set; } = "";
        public string ParentNodeId { get; set; } = "";
        public string? PullRequestNodeId { get; set; }
        public string? Cursor { get; set; }
        public long Remaining { get; set; }
        public long Attempts { get; set; }
        public long PageSize { get; set; }
        public DateTimeOffset? Since { get; set; }
        public string Owner { get; set; } = "";
        public string Name { get; set; } = "";

        public Checkpoint ToCheckpoint() => new(Id, RunId, TenantId, RepositoryId, FetchKinds.Parse(Kind), ParentNodeId, PullRequestNodeId, Cursor,
            Remaining, (int)Attempts, (int)PageSize, Since, Owner, Name);
    }
}
