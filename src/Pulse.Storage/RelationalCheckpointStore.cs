using System.Data;
using System.Text.Json;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalCheckpointStore(RelationalDatabase db) : ICheckpointStore
{
    private const string Columns = """
        cp.id AS Id, cp.run_id AS RunId, cp.tenant_id AS TenantId, cp.repository_id AS RepositoryId, cp.kind AS Kind,
        cp.parent_node_id AS ParentNodeId, cp.pr_node_id AS PullRequestNodeId, cp.cursor AS Cursor, cp.remaining AS Remaining,
        cp.attempts AS Attempts, cp.page_size AS PageSize, cp.since AS Since, cp.held_head_oid AS HeldHeadOid, cp.held_commits AS HeldCommitCount,
        r.owner AS Owner, r.name AS Name
        """;

    private static readonly SqlBatch Advance = new("checkpoint.advance", """
        UPDATE checkpoints SET cursor = @cursor, status = CASE WHEN @done THEN 'done' ELSE 'pending' END, remaining = @remaining,
          pages = pages + 1, items = items + @items, attempts = 0, error = @error, page_size = COALESCE(@pageSize, page_size),
          lease_owner = NULL, lease_until = NULL
        WHERE id = @id AND status = 'pending'
        """, [("cursor", DbType.String), ("done", DbType.Boolean), ("remaining", DbType.Int64), ("items", DbType.Int64), ("error", DbType.String),
            ("pageSize", DbType.Int64), ("id", DbType.Int64)]);

    /// <summary>
    /// The kinds of the first step (listings, and the PR's own timeline and labels). Claimed before the other steps' pages: the
    /// other steps' transforms wait for the first step's (their rows point at its PRs), so the sooner it ends, the more of
    /// their transform runs beside the rest of the extraction instead of after it.
    /// </summary>
    private static readonly string FirstStepKinds = string.Join(", ", Enum.GetValues<FetchKind>()
        .Where(k => FetchKinds.StepOf(k) == GitHubPrJob.Steps[0]).Select(k => $"'{FetchKinds.Name(k)}'"));

    private static readonly SqlBatch Fail = new("checkpoint.fail",
        "UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL, attempts = attempts + 1, error = @error WHERE id = @id",
        [("error", DbType.String), ("id", DbType.Int64)]);

    private SqlDialect Dialect => db.Dialect;

    /// <summary>Pending and not leased; a lease that ran out belongs to a worker that died.</summary>
    private static string Claimable(string run) => $"cp.run_id = {run} AND cp.status = 'pending' AND (cp.lease_until IS NULL OR cp.lease_until < @now)";

    public Task<ExtractTurn?> ClaimTurnAsync(IReadOnlyCollection<long> skipRuns, bool owedIfNone, int max, string owner, DateTimeOffset leaseUntil,
        CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var now = db.Now;
        // The pool's row first: claims queue behind one another for a moment, so each one sees the turns taken before it.
        var turn = await c.ExecuteScalarAsync<long>("UPDATE extraction_pool SET turns = turns + 1 WHERE id = 1 RETURNING turns", transaction: tx);
        // Least recently served first (never served: before all).
        // The chosen run's row comes with it: the turn needs no second read of it.
        var run = await c.QuerySingleOrDefaultAsync<RunRow>($"""
            SELECT {RunRow.ColumnsOf("r")} FROM etl_job_runs r LEFT JOIN extraction_turns t ON t.run_id = r.id
            WHERE r.status = 'running' AND NOT ({Dialect.In("r.id", "@skipRuns")})
              AND EXISTS (SELECT 1 FROM checkpoints cp {Dialect.ClaimIndex} WHERE {Claimable("r.id")})
            ORDER BY t.last_turn NULLS FIRST, r.id LIMIT 1
            """, new { skipRuns = Dialect.List(skipRuns), now }, tx);
        if (run is null)
        {
            // Claims in flight may commit work that no queued message would take: this message is owed back.
            if (owedIfNone && await c.ExecuteScalarAsync<bool>($"""
                    SELECT EXISTS (SELECT 1 FROM etl_job_runs r JOIN checkpoints cp {Dialect.ClaimIndex} ON cp.run_id = r.id
                      WHERE r.status = 'running' AND cp.status = 'pending' AND cp.lease_until >= @now)
                    """, new { now }, tx))
                await c.ExecuteAsync("UPDATE extraction_pool SET starved = starved + 1 WHERE id = 1", transaction: tx);
            return (ExtractTurn?)null;
        }

        var runId = run.Id;
        await c.ExecuteAsync("""
            INSERT INTO extraction_turns (run_id, last_turn, last_served_at) VALUES (@runId, @turn, @now)
            ON CONFLICT (run_id) DO UPDATE SET last_turn = excluded.last_turn, last_served_at = excluded.last_served_at
            """, new { runId, turn, now }, tx);
        // The first step's pages first, then oldest first; a checkpoint that a late commit is advancing (locked) is passed over,
        // not waited for. Two reads, each in an index's order that stops after @max rows: the first step's (checkpoints_claim_first,
        // migration 012, whose WHERE is this one's), then the rest (checkpoints_claim). One ORDER BY over both read and sorted
        // every pending checkpoint of the run per claim (~40,000 in bench-org, 61 ms) while the claims queued on the pool's row.
        var rows = (await c.QueryAsync<Row>(ClaimSql(Dialect.Indexed("checkpoints_claim_first"), $"cp.kind IN ({FirstStepKinds})"), new { runId, now, max }, tx)).ToList();
        if (rows.Count < max)
            rows.AddRange(await c.QueryAsync<Row>(ClaimSql(Dialect.ClaimIndex, $"cp.kind NOT IN ({FirstStepKinds})"), new { runId, now, max = max - rows.Count }, tx));
        await c.ExecuteAsync($"UPDATE checkpoints SET lease_owner = @owner, lease_until = @leaseUntil WHERE {Dialect.In("id", "@ids")}",
            new { owner, leaseUntil, ids = Dialect.List(rows.Select(r => r.Id)) }, tx);
        return new ExtractTurn(run.ToRecord(), rows.Select(r => r.ToCheckpoint()).ToList());
    }, ct);

    private string ClaimSql(string index, string kinds) => $"""
        SELECT {Columns} FROM checkpoints cp {index} JOIN repositories r ON r.id = cp.repository_id
        WHERE {Claimable("@runId")} AND {kinds} ORDER BY cp.id LIMIT @max{Dialect.SkipLocked("cp")}
        """;

    public Task ReleaseAsync(IReadOnlyList<long> checkpointIds, string owner, CheckpointRelease release, CancellationToken ct)
    {
        if (checkpointIds.Count == 0) return Task.CompletedTask;
        return db.WriteAsync(async (c, tx) =>
        {
            var released = (await c.QueryAsync<long>($"""
                UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL,
                  attempts = attempts + @inc, page_size = COALESCE(@pageSize, page_size), error = COALESCE(@error, error)
                WHERE {Dialect.In("id", "@ids")} AND lease_owner = @owner RETURNING id
                """, new { ids = Dialect.List(checkpointIds.Order()), owner, inc = release.CountAttempt ? 1 : 0, pageSize = (long?)release.PageSize, error = release.FailWith },
                tx)).ToList();
            if (release.FailWith is not null && released.Count > 0) await FailPastAttemptsAsync(c, tx, released, release.MaxAttempts);
            return 0;
        }, ct);
    }

    /// <summary>A checkpoint whose attempts ran out is failed for good: its stage ends failed once nothing else of it is open.</summary>
    private Task FailPastAttemptsAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, IEnumerable<long> ids, int max) => c.ExecuteAsync(
        $"UPDATE checkpoints SET status = 'failed', failed_at = @now WHERE {Dialect.In("id", "@ids")} AND status = 'pending' AND attempts >= @max",
        new { ids = Dialect.List(ids), max, now = db.Now }, tx);

    public Task<PageCommitResult> CommitPageAsync(ExtractedPage page, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var outcome = page.Outcome;
        // The fence, with the rows locked until the commit: a claim skips locked checkpoints, so none changes hands in between.
        var leased = outcome.Advances.Select(a => a.CheckpointId).Distinct().Order().ToList();
        if ((await c.QueryAsync<long>($"SELECT id FROM checkpoints WHERE {Dialect.In("id", "@leased")} AND lease_owner = @owner ORDER BY id{Dialect.ForUpdate}",
                new { leased = Dialect.List(leased), owner = page.LeaseOwner }, tx)).Count() != leased.Count)
            return PageCommitResult.LeaseLost;
        var now = db.Now;
        var rawId = await c.ExecuteScalarAsync<long>($"""
            INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, entity_type, query_hash, variables, units, status, points, requests, created_at)
            VALUES (@TenantId, @IntegrationId, @RunId, @EntityType, @QueryHash, {Dialect.Json("@variables")}, {Dialect.Json("@units")},
              @status, @Points, @Requests, @now) RETURNING id
            """, new
            {
                page.TenantId, page.IntegrationId, page.RunId, page.EntityType, page.QueryHash, variables = Dialect.JsonValue(page.VariablesJson),
                units = JsonSerializer.Serialize(outcome.Units), status = outcome.StepsWithData.Any() ? "pending" : "done", page.Points, page.Requests, now,
            }, tx);
        // In a table of its own: the answer's row is updated when it is done, and SQLite rewrites a row whole (migration 015).
        await c.ExecuteAsync($"INSERT INTO raw_extraction_payloads (raw_id, payload) VALUES (@rawId, {Dialect.PayloadParameter("@payload")})",
            new { rawId, payload = page.Payload }, tx);

        var advances = outcome.Advances.OrderBy(a => a.CheckpointId).ToList();
        await Dialect.RunManyAsync(c, tx, Advance, advances.Where(a => !a.Failed)
            .Select(a => new object?[] { a.Cursor, a.Done, a.Remaining, a.ItemsFetched, a.Error, (long?)a.PageSize, a.CheckpointId }).ToList(), ct);
        var failed = advances.Where(a => a.Failed).ToList();
        await Dialect.RunManyAsync(c, tx, Fail, failed.Select(a => new object?[] { a.Error, a.CheckpointId }).ToList(), ct);
        if (failed.Count > 0) await FailPastAttemptsAsync(c, tx, failed.Select(a => a.CheckpointId), page.MaxAttempts);
        await CheckpointRows.InsertAsync(Dialect, c, tx, page.TenantId, page.RunId, outcome.NewCheckpoints, 100, ct);

        // run_steps rows are shared by every worker of the run: always taken in step order (here and in the transform's commit),
        // so two transactions never wait for each other in a cycle.
        var pageSteps = outcome.Units.Select(u => FetchKinds.StepOf(u.Kind).Name).ToHashSet();
        foreach (var step in GitHubPrJob.Steps.Where(s => pageSteps.Contains(s.Name) || outcome.StepTotals.ContainsKey(s.Name)))
            await c.ExecuteAsync("UPDATE run_steps SET items_total = items_total + @total, pages = pages + @pages WHERE run_id = @RunId AND step = @step",
                new { page.RunId, step = step.Name, total = outcome.StepTotals.GetValueOrDefault(step.Name), pages = pageSteps.Contains(step.Name) ? 1 : 0 }, tx);
        var toQueue = new List<long>();
        foreach (var (step, waiting) in page.TransformItems)
        {
            var id = await c.ExecuteScalarAsync<long>("""
                INSERT INTO work_items (tenant_id, run_id, step, stage, raw_id, state, created_at, updated_at)
                VALUES (@TenantId, @RunId, @step, 'transform', @rawId, @state, @now, @now) RETURNING id
                """, new { page.TenantId, page.RunId, step, rawId, state = waiting ? "waiting" : "pending", now }, tx);
            if (!waiting) toQueue.Add(id);
        }

        // The run's row last, held only for the commit: the run's state machine (which locks it) sees this page whole or not at
        // all, as a commit is atomic, and it no longer waits for the page's writes above. Nothing that holds the run's row waits
        // for checkpoints or run_steps, so taking it after them closes no cycle.
        await c.ExecuteAsync("UPDATE etl_job_runs SET points = points + @Points, requests = requests + @Requests, pages = pages + 1 WHERE id = @RunId",
            new { page.Points, page.Requests, page.RunId }, tx);
        return new PageCommitResult(rawId, toQueue);
    }, ct);

    public Task<int> SettleTurnAsync(long runId, bool handedOn, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // On the pool's row: a claim that found nothing while this turn's claims were in flight has committed (it held the row),
        // and one that comes after sees this turn's commit.
        var owed = await c.ExecuteAsync("UPDATE extraction_pool SET starved = starved - 1 WHERE id = 1 AND starved > 0", transaction: tx) > 0;
        var pending = !handedOn && await c.ExecuteScalarAsync<bool>(
            $"SELECT EXISTS (SELECT 1 FROM checkpoints cp {Dialect.ClaimIndex} WHERE cp.run_id = @runId AND cp.status = 'pending')", new { runId }, tx);
        return (pending ? 1 : 0) + (owed ? 1 : 0);
    }, ct);

    public Task ClearLeasesAsync(long runId, CancellationToken ct) => db.WriteAsync((c, tx) =>
        c.ExecuteAsync("UPDATE checkpoints SET lease_owner = NULL, lease_until = NULL WHERE run_id = @runId AND lease_owner IS NOT NULL", new { runId }, tx), ct);

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
        public string? HeldHeadOid { get; set; }
        public long? HeldCommitCount { get; set; }
        public string Owner { get; set; } = "";
        public string Name { get; set; } = "";

        public Checkpoint ToCheckpoint() => new(Id, RunId, TenantId, RepositoryId, FetchKinds.Parse(Kind), ParentNodeId, PullRequestNodeId, Cursor,
            Remaining, (int)Attempts, (int)PageSize, Since, Owner, Name)
        {
            HeldCommits = HeldHeadOid is { } head && HeldCommitCount is { } count ? new HeldCommits(head, count) : null,
        };
    }
}
