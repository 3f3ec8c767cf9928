using System.Data;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>
/// Completion by counting what is outstanding (as SQLite's ledger), made exact under many writers:
/// every check-and-flip first takes the run's row lock, so two workers advancing the same run run
/// one after the other, and each sees the other's committed work (READ COMMITTED, statement snapshots).
/// </summary>
public sealed class PostgresRunLedger(PostgresDatabase db) : IRunLedger
{
    public Task<bool> MarkRunningAsync(long runId, string step, Stage stage, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // Cheap pre-check without the lock: most calls find the stage already running.
        if (await StateAsync(c, tx, runId, step, stage) != StageState.Idle) return false;
        await PostgresDatabase.LockRunAsync(c, tx, runId);
        var changed = await c.ExecuteAsync("""
            UPDATE run_stages SET state = 'running', started_at = now() WHERE run_id = @runId AND step = @step AND stage = @stage AND state = 'idle'
            """, new { runId, step, stage = StageNames.Of(stage) }, tx);
        if (changed > 0)
        {
            await LogAsync(c, tx, runId, step, StageNames.Of(stage), StageState.Running);
            await RefreshJobAsync(c, tx, runId);
        }
        return changed > 0;
    }, ct);

    public Task<RunAdvance> AdvanceAsync(long runId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var changes = new List<StageChange>();
        var released = new List<long>();
        var run = await PostgresDatabase.LockRunAsync(c, tx, runId);
        if (run.Status != RunStatus.Running) return new RunAdvance([], [], false, false);

        foreach (var step in GitHubPrJob.Steps)
        {
            var kinds = Enum.GetValues<FetchKind>().Where(k => FetchKinds.StepOf(k) == step).Select(FetchKinds.Name).ToArray();

            var feedersDone = step.Order == 1 || await StateAsync(c, tx, runId, GitHubPrJob.PullRequests.Name, Stage.Extract) is StageState.Finished or StageState.Failed;
            if (feedersDone && !await IsEndedAsync(c, tx, runId, step.Name, Stage.Extract)
                // EXISTS, not count(*): this runs after every commit, and counting walked every pending checkpoint of the run.
                && !await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM checkpoints WHERE run_id = @runId AND status = 'pending' AND kind = ANY(@kinds))", new { runId, kinds }, tx))
            {
                var failed = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM checkpoints WHERE run_id = @runId AND status = 'failed' AND kind = ANY(@kinds)", new { runId, kinds }, tx);
                await EndAsync(c, tx, runId, step.Name, Stage.Extract, failed > 0, changes);
            }

            // Transform: opens when the steps its rows point at have ended theirs; ends when its extraction has, the steps
            // it ends after have ended theirs, and no item is open. Steps are visited in order, so those are current here.
            if (await AllEndedAsync(c, tx, runId, GitHubPrJob.TransformStartsAfter(step), Stage.Transform))
            {
                released.AddRange(await c.QueryAsync<long>("""
                    UPDATE work_items SET state = 'pending' WHERE run_id = @runId AND step = @step AND stage = 'transform' AND state = 'waiting' RETURNING id
                    """, new { runId, step = step.Name }, tx));
                if (await IsEndedAsync(c, tx, runId, step.Name, Stage.Extract) && !await IsEndedAsync(c, tx, runId, step.Name, Stage.Transform)
                    && await AllEndedAsync(c, tx, runId, GitHubPrJob.TransformEndsAfter(step), Stage.Transform)
                    && await OpenItemsAsync(c, tx, runId, step.Name, "transform") == 0)
                {
                    await PostgresRunSweep.AfterTransformAsync(c, tx, runId, step);
                    await EndAsync(c, tx, runId, step.Name, Stage.Transform, await FailedItemsAsync(c, tx, runId, step.Name, "transform") > 0, changes);
                }
            }

            if (await IsEndedAsync(c, tx, runId, step.Name, Stage.Transform) && !await IsEndedAsync(c, tx, runId, step.Name, Stage.Embed)
                && await OpenItemsAsync(c, tx, runId, step.Name, "embedding") == 0)
                await EndAsync(c, tx, runId, step.Name, Stage.Embed, await FailedItemsAsync(c, tx, runId, step.Name, "embedding") > 0, changes);
        }

        var states = (await c.QueryAsync<string>("SELECT state FROM run_stages WHERE run_id = @runId", new { runId }, tx)).ToList();
        var complete = states.All(s => s is StageState.Finished or StageState.Failed);
        if (changes.Count > 0) await RefreshJobAsync(c, tx, runId);
        var runFailed = complete && states.Contains(StageState.Failed);
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
        var checkpoints = (await c.QueryAsync<long>("SELECT id FROM checkpoints WHERE run_id = @runId AND status = 'pending' ORDER BY id", new { runId })).ToList();
        var transform = (await c.QueryAsync<long>("SELECT id FROM work_items WHERE run_id = @runId AND stage = 'transform' AND state = 'pending' ORDER BY id", new { runId })).ToList();
        var embedding = (await c.QueryAsync<long>("SELECT id FROM work_items WHERE run_id = @runId AND stage = 'embedding' AND state = 'pending' ORDER BY id", new { runId })).ToList();
        return new OutstandingWork(checkpoints, transform, embedding);
    }, ct);

    internal static async Task<string> StateAsync(IDbConnection c, IDbTransaction tx, long runId, string step, Stage stage) =>
        await c.ExecuteScalarAsync<string>("SELECT state FROM run_stages WHERE run_id = @runId AND step = @step AND stage = @stage",
            new { runId, step, stage = StageNames.Of(stage) }, tx) ?? StageState.Idle;

    private static async Task<bool> IsEndedAsync(IDbConnection c, IDbTransaction tx, long runId, string step, Stage stage) =>
        await StateAsync(c, tx, runId, step, stage) is StageState.Finished or StageState.Failed;

    private static async Task<bool> AllEndedAsync(IDbConnection c, IDbTransaction tx, long runId, IEnumerable<PipelineStep> steps, Stage stage)
    {
        foreach (var step in steps)
            if (!await IsEndedAsync(c, tx, runId, step.Name, stage)) return false;
        return true;
    }

    private static Task<long> OpenItemsAsync(IDbConnection c, IDbTransaction tx, long runId, string step, string stage) => c.ExecuteScalarAsync<long>(
        "SELECT count(*) FROM work_items WHERE run_id = @runId AND step = @step AND stage = @stage AND state IN ('waiting', 'pending')", new { runId, step, stage }, tx);

    private static Task<long> FailedItemsAsync(IDbConnection c, IDbTransaction tx, long runId, string step, string stage) => c.ExecuteScalarAsync<long>(
        "SELECT count(*) FROM work_items WHERE run_id = @runId AND step = @step AND stage = @stage AND state = 'failed'", new { runId, step, stage }, tx);

    /// <summary>The conditional flip: only a stage that has not ended can end, so it ends once.</summary>
    private static async Task EndAsync(IDbConnection c, IDbTransaction tx, long runId, string step, Stage stage, bool failed, List<StageChange> changes)
    {
        var state = failed ? StageState.Failed : StageState.Finished;
        var changed = await c.ExecuteAsync("""
            UPDATE run_stages SET state = @state, finished_at = now(), started_at = COALESCE(started_at, now())
            WHERE run_id = @runId AND step = @step AND stage = @stage AND state NOT IN ('finished', 'failed')
            """, new { runId, step, stage = StageNames.Of(stage), state }, tx);
        if (changed > 0)
        {
            await LogAsync(c, tx, runId, step, StageNames.Of(stage), state);
            changes.Add(new StageChange(runId, step, stage, state));
        }
    }

    private static Task LogAsync(IDbConnection c, IDbTransaction tx, long runId, string step, string stage, string state) => c.ExecuteAsync("""
        INSERT INTO run_stage_events (tenant_id, run_id, step, stage, state) SELECT tenant_id, id, @step, @stage, @state FROM etl_job_runs WHERE id = @runId
        """, new { runId, step, stage, state }, tx);

    private static async Task RefreshJobAsync(IDbConnection c, IDbTransaction tx, long runId)
    {
        var jobId = await c.ExecuteScalarAsync<long>("SELECT job_id FROM etl_job_runs WHERE id = @runId", new { runId }, tx);
        await PostgresJobStore.RefreshStatusAsync(c, tx, jobId);
    }
}
