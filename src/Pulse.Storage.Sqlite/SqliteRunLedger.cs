using System.Data;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// Completion by counting what is outstanding, never by "last item" flags: a stage finishes when
/// the stages that feed it have finished and none of its own work is open. SQLite runs one writer
/// at a time, so each check-and-flip below is atomic.
/// </summary>
public sealed class SqliteRunLedger(SqliteDatabase db) : IRunLedger
{
    public Task<bool> MarkRunningAsync(long runId, string step, Stage stage, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var changed = await c.ExecuteAsync("""
            UPDATE run_stages SET state = 'running', started_at = @now WHERE run_id = @runId AND step = @step AND stage = @stage AND state = 'idle'
            """, new { runId, step, stage = StageNames.Of(stage), now = DateTimeOffset.UtcNow }, tx);
        if (changed > 0) await RefreshJobAsync(c, tx, runId);
        return changed > 0;
    }, ct);

    public Task<RunAdvance> AdvanceAsync(long runId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var changes = new List<StageChange>();
        var released = new List<long>();
        var run = await c.QuerySingleAsync<(string Status, long Embeddings)>("SELECT status, embeddings_enabled FROM etl_job_runs WHERE id = @runId", new { runId }, tx);
        if (run.Status != RunStatus.Running) return new RunAdvance([], [], false, false);

        // Every stage's state in one read, kept current below as stages end: this runs after every commit.
        var states = (await c.QueryAsync<(string Step, string Stage, string State)>("SELECT step, stage, state FROM run_stages WHERE run_id = @runId", new { runId }, tx))
            .ToDictionary(s => (s.Step, s.Stage), s => s.State);
        bool Ended(string step, Stage stage) => states.GetValueOrDefault((step, StageNames.Of(stage))) is StageState.Finished or StageState.Failed;
        async Task EndAsync(string step, Stage stage, bool failed)
        {
            if (await SqliteRunLedger.EndAsync(c, tx, runId, step, stage, failed, changes))
                states[(step, StageNames.Of(stage))] = failed ? StageState.Failed : StageState.Finished;
        }

        foreach (var step in GitHubPrJob.Steps)
        {
            if (Ended(step.Name, Stage.Extract) && Ended(step.Name, Stage.Transform) && Ended(step.Name, Stage.Embed)) continue;
            var kinds = Enum.GetValues<FetchKind>().Where(k => FetchKinds.StepOf(k) == step).Select(FetchKinds.Name).ToList();

            // Extraction: its checkpoints come from the first step's listings, and from its own pages.
            var feedersDone = step.Order == 1 || Ended(GitHubPrJob.PullRequests.Name, Stage.Extract);
            if (feedersDone && !Ended(step.Name, Stage.Extract)
                // EXISTS, not count(*): this runs after every commit, and counting walked every pending checkpoint of the run.
                && !await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM checkpoints WHERE run_id = @runId AND status = 'pending' AND kind IN @kinds)", new { runId, kinds }, tx))
            {
                var failed = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM checkpoints WHERE run_id = @runId AND status = 'failed' AND kind IN @kinds", new { runId, kinds }, tx);
                await EndAsync(step.Name, Stage.Extract, failed > 0);
            }

            // Transform: opens when the steps its rows point at have ended theirs; ends when its extraction has, the steps
            // it ends after have ended theirs, and no item is open. Steps are visited in order, so those are current here.
            var gateOpen = GitHubPrJob.TransformStartsAfter(step).All(s => Ended(s.Name, Stage.Transform));
            if (gateOpen && !Ended(step.Name, Stage.Transform))
            {
                released.AddRange(await c.QueryAsync<long>("""
                    UPDATE work_items SET state = 'pending' WHERE run_id = @runId AND step = @step AND stage = 'transform' AND state = 'waiting' RETURNING id
                    """, new { runId, step = step.Name }, tx));
                if (Ended(step.Name, Stage.Extract) && GitHubPrJob.TransformEndsAfter(step).All(s => Ended(s.Name, Stage.Transform))
                    && await OpenItemsAsync(c, tx, runId, step.Name, "transform") == 0)
                {
                    await SqliteRunSweep.AfterTransformAsync(c, tx, runId, step);
                    await EndAsync(step.Name, Stage.Transform, await FailedItemsAsync(c, tx, runId, step.Name, "transform") > 0);
                }
            }

            if (Ended(step.Name, Stage.Transform) && !Ended(step.Name, Stage.Embed) && await OpenItemsAsync(c, tx, runId, step.Name, "embedding") == 0)
                await EndAsync(step.Name, Stage.Embed, await FailedItemsAsync(c, tx, runId, step.Name, "embedding") > 0);
        }

        var complete = states.Values.All(s => s is StageState.Finished or StageState.Failed);
        if (changes.Count > 0) await RefreshJobAsync(c, tx, runId);
        var runFailed = complete && states.Values.Contains(StageState.Failed);
        var failure = runFailed ? await c.QuerySingleAsync<RunFailure>(FailureSql, new { runId }, tx) : null;
        return new RunAdvance(changes, released, complete, runFailed) { Failure = failure };
    }, ct);

    /// <summary>A failed run's cause: its items that failed for good (checkpoints and work items) and the first one's error.</summary>
    internal const string FailureSql = """
        SELECT (SELECT count(*) FROM checkpoints WHERE run_id = @runId AND status = 'failed')
             + (SELECT count(*) FROM work_items WHERE run_id = @runId AND state = 'failed') AS Items,
          COALESCE((SELECT error FROM checkpoints WHERE run_id = @runId AND status = 'failed' AND error IS NOT NULL ORDER BY id LIMIT 1),
                   (SELECT error FROM work_items WHERE run_id = @runId AND state = 'failed' AND error IS NOT NULL ORDER BY id LIMIT 1)) AS FirstError
        """;

    public Task<OutstandingWork> OutstandingAsync(long runId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var checkpoints = (await c.QueryAsync<long>("SELECT id FROM checkpoints WHERE run_id = @runId AND status = 'pending'", new { runId })).ToList();
        var transform = (await c.QueryAsync<long>("SELECT id FROM work_items WHERE run_id = @runId AND stage = 'transform' AND state = 'pending'", new { runId })).ToList();
        var embedding = (await c.QueryAsync<long>("SELECT id FROM work_items WHERE run_id = @runId AND stage = 'embedding' AND state = 'pending'", new { runId })).ToList();
        return new OutstandingWork(checkpoints, transform, embedding);
    }, ct);

    internal static async Task<string> StateAsync(IDbConnection c, IDbTransaction tx, long runId, string step, Stage stage) =>
        await c.ExecuteScalarAsync<string>("SELECT state FROM run_stages WHERE run_id = @runId AND step = @step AND stage = @stage",
            new { runId, step, stage = StageNames.Of(stage) }, tx) ?? StageState.Idle;

    private static Task<long> OpenItemsAsync(IDbConnection c, IDbTransaction tx, long runId, string step, string stage) => c.ExecuteScalarAsync<long>(
        "SELECT count(*) FROM work_items WHERE run_id = @runId AND step = @step AND stage = @stage AND state IN ('waiting', 'pending')", new { runId, step, stage }, tx);

    private static Task<long> FailedItemsAsync(IDbConnection c, IDbTransaction tx, long runId, string step, string stage) => c.ExecuteScalarAsync<long>(
        "SELECT count(*) FROM work_items WHERE run_id = @runId AND step = @step AND stage = @stage AND state = 'failed'", new { runId, step, stage }, tx);

    /// <summary>The conditional flip: only a stage that has not ended can end, so it ends once.</summary>
    private static async Task<bool> EndAsync(IDbConnection c, IDbTransaction tx, long runId, string step, Stage stage, bool failed, List<StageChange> changes)
    {
        var state = failed ? StageState.Failed : StageState.Finished;
        var changed = await c.ExecuteAsync("""
            UPDATE run_stages SET state = @state, finished_at = @now, started_at = COALESCE(started_at, @now)
            WHERE run_id = @runId AND step = @step AND stage = @stage AND state NOT IN ('finished', 'failed')
            """, new { runId, step, stage = StageNames.Of(stage), state, now = DateTimeOffset.UtcNow }, tx);
        if (changed > 0) changes.Add(new StageChange(runId, step, stage, state));
        return changed > 0;
    }

    private static async Task RefreshJobAsync(IDbConnection c, IDbTransaction tx, long runId)
    {
        var jobId = await c.ExecuteScalarAsync<long>("SELECT job_id FROM etl_job_runs WHERE id = @runId", new { runId }, tx);
        await SqliteJobStore.RefreshStatusAsync(c, tx, jobId);
    }
}
