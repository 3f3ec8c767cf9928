using System.Data;
using System.Text.Json;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

public sealed class PostgresCheckpointStore(PostgresDatabase db) : ICheckpointStore
{
    private const string Columns = """
        cp.id AS Id, cp.run_id AS RunId, cp.tenant_id AS TenantId, cp.repository_id AS RepositoryId, cp.kind AS Kind,
        cp.parent_node_id AS ParentNodeId, cp.pr_node_id AS PullRequestNodeId, cp.cursor AS Cursor, cp.remaining AS Remaining,
        cp.attempts AS Attempts, cp.page_size AS PageSize, cp.since AS Since, r.owner AS Owner, r.name AS Name
        """;

    public Task<ExtractTurn?> ClaimTurnAsync(IReadOnlyCollection<long> skipRuns, bool owedIfNone, int max, string owner, DateTimeOffset leaseUntil,
        CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // The pool's row first: claims queue behind one another for a moment, so each one sees the turns taken before it.
        var turn = await c.ExecuteScalarAsync<long>("UPDATE extraction_pool SET turns = turns + 1 WHERE id = 1 RETURNING turns", transaction: tx);
        // Least recently served first (never served: before all).
        var runId = await c.ExecuteScalarAsync<long?>($"""
            SELECT r.id FROM etl_job_runs r LEFT JOIN extraction_turns t ON t.run_id = r.id
            WHERE r.status = 'running' AND NOT (r.id = ANY(@skipRuns)) AND EXISTS (SELECT 1 FROM checkpoints cp WHERE {Claimable("r.id")})
            ORDER BY t.last_turn NULLS FIRST, r.id LIMIT 1
            """, new { skipRuns = skipRuns.ToArray() }, tx);
        if (runId is null)
        {
            // Claims in flight may commit work that no queued message would take: this message is owed back.
            if (owedIfNone && await c.ExecuteScalarAsync<bool>("""
                    SELECT EXISTS (SELECT 1 FROM etl_job_runs r JOIN checkpoints cp ON cp.run_id = r.id
                      WHERE r.status = 'running' AND cp.status = 'pending' AND cp.lease_until >= now())
                    """, transaction: tx))
                await c.ExecuteAsync("UPDATE extraction_pool SET starved = starved + 1 WHERE id = 1", transaction: tx);
            return (ExtractTurn?)null;
        }

        await c.ExecuteAsync("""
            INSERT INTO extraction_turns (run_id, last_turn, last_served_at) VALUES (@runId, @turn, now())
            ON CONFLICT (run_id) DO UPDATE SET last_turn = excluded.last_turn, last_served_at = excluded.last_served_at
            """, new { runId, turn }, tx);
        // SKIP LOCKED: a checkpoint that a late commit is advancing is not waited for.
        var rows = (await c.QueryAsync<Row>($"""
            SELECT {Columns} FROM checkpoints cp JOIN repositories r ON r.id = cp.repository_id
            WHERE {Claimable("@runId")} ORDER BY cp.id LIMIT @max
            FOR UPDATE OF cp SKIP LOCKED
            """, new { runId, max }, tx)).ToList();
        await c.ExecuteAsync("UPDATE checkpoints SET lease_owner = @owner, lease_until = @leaseUntil WHERE id = ANY(@ids)",
            new { owner, leaseUntil = Pg.Utc(leaseUntil), ids = rows.Select(r => r.Id).ToArray() }, tx);
        return new ExtractTurn(runId.Value, rows.Select(r => r.ToCheckpoint()).ToList());
    }, ct);

    /// <summary>Pending and not leased; a lease that ran out belongs to a worker that died.</summary>
    private static string Claimable(string run) => $"cp.run_id = {run} AND cp.status = 'pending' AND (cp.lease_until IS NULL OR cp.lease_until < now())";

    public Task ReleaseAsync(IReadOnlyList<long> checkpointIds, string owner, CheckpointRelease release, CancellationToken ct)
    {
        if (checkpointIds.Count == 0) return Task.CompletedTask;
        return db.WriteAsync(async (c, tx) =>
        {
            var ids = checkpointIds.Order().ToArray();
            var released = (await c.QueryAsync<long>("""
                UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL,
                  attempts = attempts + @inc, page_size = COALESCE(@pageSize::bigint, page_size), error = COALESCE(@error::text, error)
                WHERE id = ANY(@ids) AND lease_owner = @owner RETURNING id
                """, new { ids, owner, inc = release.CountAttempt ? 1 : 0, pageSize = release.PageSize, error = release.FailWith }, tx)).ToList();
            if (release.FailWith is not null && released.Count > 0)
                await c.ExecuteAsync("UPDATE checkpoints SET status = 'failed' WHERE id = ANY(@ids) AND status = 'pending' AND attempts >= @max",
                    new { ids = released.ToArray(), max = release.MaxAttempts }, tx);
            return 0;
        }, ct);
    }

    public Task<PageCommitResult> CommitPageAsync(ExtractedPage page, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // The run's lock first: the gate decision below ('waiting' or 'pending') must not interleave with a ledger advance.
        await PostgresDatabase.LockRunAsync(c, tx, page.RunId);
        var outcome = page.Outcome;
        // The fence, with the rows locked until the commit: a claim skips locked checkpoints, so none changes hands in between.
        var leased = outcome.Advances.Select(a => a.CheckpointId).Distinct().Order().ToArray();
        if ((await c.QueryAsync<long>("SELECT id FROM checkpoints WHERE id = ANY(@leased) AND lease_owner = @owner ORDER BY id FOR UPDATE",
                new { leased, owner = page.LeaseOwner }, tx)).Count() != leased.Length)
            return PageCommitResult.LeaseLost;
        var rawId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, entity_type, query_hash, variables, payload, units, status, points, requests, created_at)
            VALUES (@TenantId, @IntegrationId, @RunId, @EntityType, @QueryHash, @variables::jsonb, @payload::jsonb, @units::jsonb, @status, @Points, @Requests, now()) RETURNING id
            """, new
            {
                page.TenantId, page.IntegrationId, page.RunId, page.EntityType, page.QueryHash, variables = Pg.JsonbSafe(page.VariablesJson), payload = Pg.JsonbSafe(System.Text.Encoding.UTF8.GetString(page.Payload)),
                units = JsonSerializer.Serialize(outcome.Units), status = outcome.StepsWithData.Any() ? "pending" : "done", page.Points, page.Requests,
            }, tx);

        foreach (var a in outcome.Advances.OrderBy(a => a.CheckpointId))
        {
            await c.ExecuteAsync(a.Failed
                ? "UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL, attempts = attempts + 1, error = @Error WHERE id = @CheckpointId"
                : """
                  UPDATE checkpoints SET cursor = @Cursor, status = CASE WHEN @Done THEN 'done' ELSE 'pending' END, remaining = @Remaining,
                    pages = pages + 1, items = items + @ItemsFetched, attempts = 0, error = @Error, page_size = COALESCE(@PageSize::bigint, page_size),
                    lease_owner = NULL, lease_until = NULL
                  WHERE id = @CheckpointId AND status = 'pending'
                  """, new { a.CheckpointId, a.Cursor, a.Done, a.Remaining, a.ItemsFetched, a.Error, a.PageSize }, tx);
        }
        await InsertAsync(c, tx, page.TenantId, page.RunId, outcome.NewCheckpoints, 100);

        foreach (var (step, total) in outcome.StepTotals.OrderBy(s => s.Key, StringComparer.Ordinal))
            await c.ExecuteAsync("UPDATE run_steps SET items_total = items_total + @total WHERE run_id = @RunId AND step = @step", new { page.RunId, step, total }, tx);
        var pageSteps = outcome.Units.Select(u => FetchKinds.StepOf(u.Kind).Name).Distinct().ToArray();
        await c.ExecuteAsync("UPDATE run_steps SET pages = pages + 1 WHERE run_id = @RunId AND step = ANY(@pageSteps)", new { page.RunId, pageSteps }, tx);
        await c.ExecuteAsync("UPDATE etl_job_runs SET points = points + @Points, requests = requests + @Requests, pages = pages + 1 WHERE id = @RunId",
            new { page.Points, page.Requests, page.RunId }, tx);

        var toQueue = new List<long>();
        foreach (var step in outcome.StepsWithData)
        {
            // A step's transform waits for the transforms of the steps its rows hold foreign keys to.
            var open = true;
            foreach (var needed in GitHubPrJob.TransformStartsAfter(step))
                open = open && await PostgresRunLedger.StateAsync(c, tx, page.RunId, needed.Name, Stage.Transform) == StageState.Finished;
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO work_items (tenant_id, run_id, step, stage, raw_id, state, created_at, updated_at)
                VALUES (@TenantId, @RunId, @step, 'transform', @rawId, @state, now(), now()) RETURNING id
                """, new { page.TenantId, page.RunId, step = step.Name, rawId, state = open ? "pending" : "waiting" }, tx);
            if (open) toQueue.Add(id);
        }
        return new PageCommitResult(rawId, toQueue);
    }, ct);

    public Task<int> SettleTurnAsync(long runId, bool handedOn, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // Under the pool's row lock: a claim that found nothing while this turn's claims were in flight has committed, and
        // one that comes after sees this turn's commit.
        var owed = await c.ExecuteScalarAsync<long>("SELECT starved FROM extraction_pool WHERE id = 1 FOR UPDATE", transaction: tx) > 0;
        if (owed) await c.ExecuteAsync("UPDATE extraction_pool SET starved = starved - 1 WHERE id = 1", transaction: tx);
        var pending = !handedOn && await c.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM checkpoints WHERE run_id = @runId AND status = 'pending')", new { runId }, tx);
        return (pending ? 1 : 0) + (owed ? 1 : 0);
    }, ct);

    public Task ClearLeasesAsync(long runId, CancellationToken ct) => db.WriteAsync((c, tx) =>
        c.ExecuteAsync("UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL WHERE run_id = @runId AND lease_owner IS NOT NULL", new { runId }, tx), ct);

    /// <summary>One multi-row insert; the same connection revealed twice (a PR that moved between listing pages) keeps the first.</summary>
    internal static async Task InsertAsync(IDbConnection c, IDbTransaction tx, long tenantId, long runId, IReadOnlyList<NewCheckpoint> checkpoints, int pageSize)
    {
        if (checkpoints.Count == 0) return;
        await c.ExecuteAsync("""
            INSERT INTO checkpoints (tenant_id, run_id, repository_id, kind, parent_node_id, pr_node_id, cursor, remaining, since, page_size)
            SELECT @tenantId, @runId, u.repo, u.kind, u.parent, u.pr, u.cur, u.remaining, u.since, @pageSize
            FROM unnest(@repos, @kinds, @parents, @prs, @cursors, @remainings, @sinces) WITH ORDINALITY AS u(repo, kind, parent, pr, cur, remaining, since, n)
            ORDER BY u.n
            ON CONFLICT (run_id, kind, parent_node_id) DO NOTHING
            """, new
            {
                tenantId, runId, pageSize,
                repos = checkpoints.Select(n => n.RepositoryId).ToArray(),
                kinds = checkpoints.Select(n => FetchKinds.Name(n.Kind)).ToArray(),
                parents = checkpoints.Select(n => n.ParentNodeId).ToArray(),
                prs = checkpoints.Select(n => n.PullRequestNodeId).ToArray(),
                cursors = checkpoints.Select(n => n.Cursor).ToArray(),
                remainings = checkpoints.Select(n => n.Remaining).ToArray(),
                sinces = checkpoints.Select(n => n.Since?.UtcDateTime).ToArray(),
            }, tx);
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
