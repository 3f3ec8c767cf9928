using System.Data.Common;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>The blocks of a locked run (<see cref="IRunTransaction"/>): reads and conditional flips, no decisions.</summary>
internal sealed class RelationalRunTransaction(RelationalDatabase db, DbConnection c, DbTransaction tx, RunRecord run) : IRunTransaction
{
    public bool Changed { get; private set; }

    public Task<RunSnapshot> ReadAsync(CancellationToken ct) => RunSnapshotReader.ReadAsync(db.Dialect, c, tx, run);

    public async Task<bool> MoveStageAsync(string step, Stage stage, IReadOnlyCollection<string> from, string to, CancellationToken ct)
    {
        var now = db.Now;
        var ended = to is StageState.Finished or StageState.Failed;
        var moved = await c.ExecuteAsync($"""
            UPDATE run_stages SET state = @to, started_at = COALESCE(started_at, @now), finished_at = CASE WHEN @ended THEN @now ELSE finished_at END
            WHERE run_id = @runId AND step = @step AND stage = @stage AND {db.Dialect.In("state", "@from")}
            """, new { runId = run.Id, step, stage = StageNames.Of(stage), from = db.Dialect.List(from), to, ended, now }, tx) > 0;
        if (!moved) return false;
        // Every transition is logged in the transaction that makes it: proof that each stage ended once.
        await c.ExecuteAsync("INSERT INTO run_stage_events (tenant_id, run_id, step, stage, state, at) VALUES (@TenantId, @Id, @step, @stage, @to, @now)",
            new { run.TenantId, run.Id, step, stage = StageNames.Of(stage), to, now }, tx);
        Changed = true;
        return true;
    }

    public async Task<IReadOnlyList<long>> ReleaseWaitingAsync(string step, CancellationToken ct) => (await c.QueryAsync<long>("""
        UPDATE work_items SET state = 'pending', updated_at = @now WHERE run_id = @runId AND step = @step AND stage = 'transform' AND state = 'waiting' RETURNING id
        """, new { runId = run.Id, step, now = db.Now }, tx)).ToList();

    public Task SweepAsync(PipelineStep step, CancellationToken ct) => RunSweep.AfterTransformAsync(db.Dialect, c, tx, run.Id, step, db.Now, ct);

    public async Task<bool> FinishAsync(bool succeeded, string? error, DateTimeOffset? syncedUpTo, CancellationToken ct)
    {
        var now = db.Now;
        // Conditional, under the run's lock: only the first caller ends the run, so the job finishes exactly once.
        if (await c.ExecuteAsync("UPDATE etl_job_runs SET status = @status, finished_at = @now, error = @error WHERE id = @runId AND status = 'running'",
                new { runId = run.Id, status = succeeded ? RunStatus.Succeeded : RunStatus.Failed, now, error }, tx) == 0)
            return false;
        var (schedule, retry) = await c.QuerySingleAsync<(long, long)>(
            "SELECT schedule_interval_minutes, retry_interval_minutes FROM etl_jobs WHERE id = @JobId", run, tx);
        await c.ExecuteAsync(succeeded
            ? """
              UPDATE etl_jobs SET overall = 'FINISHED', last_run_finished_at = @now, last_sync_date = @syncedUpTo, error_message = NULL,
                retry_count = 0, rate_limit_resume_at = NULL, next_run = @next WHERE id = @jobId
              """
            : """
              UPDATE etl_jobs SET overall = 'FAILED', last_run_finished_at = @now, error_message = @error, retry_count = retry_count + 1,
                rate_limit_resume_at = NULL, next_run = @next WHERE id = @jobId
              """, new { jobId = run.JobId, now, syncedUpTo, error, next = now + TimeSpan.FromMinutes(succeeded ? schedule : retry) }, tx);
        Changed = true;
        return true;
    }

    public async Task<RunFailure?> FirstFailureAsync(CancellationToken ct)
    {
        var checkpoint = await c.QueryFirstOrDefaultAsync<Failure>("""
            SELECT kind AS Place, error AS Error, failed_at AS At FROM checkpoints WHERE run_id = @runId AND status = 'failed' ORDER BY failed_at, id LIMIT 1
            """, new { runId = run.Id }, tx);
        var item = await c.QueryFirstOrDefaultAsync<Failure>("""
            SELECT step AS Place, stage AS Stage, error AS Error, failed_at AS At FROM work_items WHERE run_id = @runId AND state = 'failed' ORDER BY failed_at, id LIMIT 1
            """, new { runId = run.Id }, tx);
        if (item is not null && (checkpoint is null || item.At < checkpoint.At))
            return new RunFailure(item.Place, StageNames.Parse(item.Stage!), item.Error ?? "no error recorded");
        return checkpoint is null ? null
            : new RunFailure(FetchKinds.StepOf(FetchKinds.Parse(checkpoint.Place)).Name, Stage.Extract, checkpoint.Error ?? "no error recorded");
    }

    public async Task ReopenAsync(CancellationToken ct)
    {
        await c.ExecuteAsync("""
            UPDATE checkpoints SET status = 'pending', attempts = 0, failed_at = NULL, lease_owner = NULL, lease_until = NULL WHERE run_id = @Id AND status = 'failed';
            UPDATE work_items SET state = 'pending', attempts = 0, failed_at = NULL WHERE run_id = @Id AND state = 'failed';
            UPDATE run_stages SET state = 'running', finished_at = NULL WHERE run_id = @Id AND state = 'failed';
            UPDATE etl_job_runs SET status = 'running', finished_at = NULL, error = NULL WHERE id = @Id;
            UPDATE etl_jobs SET overall = 'RUNNING', error_message = NULL WHERE current_run_id = @Id;
            """, run, tx);
        Changed = true;
    }

    private sealed class Failure
    {
        public string Place { get; set; } = "";
        public string? Stage { get; set; }
        public string? Error { get; set; }
        public DateTimeOffset? At { get; set; }
    }
}
