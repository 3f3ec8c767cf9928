using System.Data;
using System.Text.Json;
using Dapper;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

public sealed class PostgresJobStore(PostgresDatabase db) : IJobStore
{
    internal const string JobColumns = """
        id AS Id, tenant_id AS TenantId, integration_id AS IntegrationId, job_name AS JobName, overall AS Overall, active AS Active,
        schedule_interval_minutes AS ScheduleMinutes, retry_interval_minutes AS RetryMinutes, last_sync_date AS LastSyncDate,
        last_run_started_at AS LastRunStartedAt, last_run_finished_at AS LastRunFinishedAt, next_run AS NextRun,
        error_message AS Error, retry_count AS RetryCount, current_run_id AS CurrentRunId
        """;

    private const string RunColumns = """
        id AS Id, tenant_id AS TenantId, job_id AS JobId, integration_id AS IntegrationId, status AS Status, started_at AS StartedAt,
        finished_at AS FinishedAt, since AS Since, embeddings_enabled AS EmbeddingsEnabled, error AS Error
        """;

    public Task<JobRecord> EnsureJobAsync(long tenantId, long integrationId, string jobName, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            INSERT INTO etl_jobs (tenant_id, integration_id, job_name, status, overall, next_run)
            VALUES (@tenantId, @integrationId, @jobName, '{}', 'READY', now())
            ON CONFLICT (tenant_id, integration_id, job_name) DO NOTHING
            """, new { tenantId, integrationId, jobName }, tx);
        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM etl_jobs WHERE tenant_id = @tenantId AND integration_id = @integrationId AND job_name = @jobName",
            new { tenantId, integrationId, jobName }, tx);
        await RefreshStatusAsync(c, tx, id);
        return (await ReadJobAsync(c, id, tx))!;
    }, ct);

    public Task<JobRecord?> GetJobAsync(long jobId, CancellationToken ct) => db.ReadAsync(c => ReadJobAsync(c, jobId, null), ct);

    public Task<RunRecord> StartRunAsync(RunStart start, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // One run at a time per job: the job's row is the lock.
        await c.ExecuteAsync("SELECT id FROM etl_jobs WHERE id = @JobId FOR UPDATE", new { start.JobId }, tx);
        var runId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO etl_job_runs (tenant_id, job_id, integration_id, status, started_at, since, embeddings_enabled)
            VALUES (@TenantId, @JobId, @IntegrationId, 'running', @startedAt, @since, @EmbeddingsEnabled) RETURNING id
            """, new { start.TenantId, start.JobId, start.IntegrationId, startedAt = Pg.Utc(start.StartedAt), since = Pg.Utc(start.Since), start.EmbeddingsEnabled }, tx);
        var steps = GitHubPrJob.Steps.Select(s => s.Name).ToArray();
        var stages = Enum.GetValues<Stage>().Select(StageNames.Of).ToArray();
        await c.ExecuteAsync("INSERT INTO run_steps (tenant_id, run_id, step) SELECT @TenantId, @runId, s FROM unnest(@steps) s", new { start.TenantId, runId, steps }, tx);
        await c.ExecuteAsync("""
            INSERT INTO run_stages (tenant_id, run_id, step, stage, state)
            SELECT @TenantId, @runId, s, g, 'idle' FROM unnest(@steps) s CROSS JOIN unnest(@stages) g
            """, new { start.TenantId, runId, steps, stages }, tx);
        await PostgresCheckpointStore.InsertAsync(c, tx, start.TenantId, runId, start.Checkpoints, start.PageSize);
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'RUNNING', current_run_id = @runId, last_run_started_at = @startedAt, error_message = NULL,
              rate_limit_resume_at = NULL, next_run = NULL WHERE id = @JobId
            """, new { runId, startedAt = Pg.Utc(start.StartedAt), start.JobId }, tx);
        await RefreshStatusAsync(c, tx, start.JobId);
        return (await ReadRunAsync(c, runId, tx))!;
    }, ct);

    public Task<RunRecord?> GetRunAsync(long runId, CancellationToken ct) => db.ReadAsync(c => ReadRunAsync(c, runId, null), ct);

    public Task<JobStatus> GetStatusAsync(long jobId, CancellationToken ct) => db.ReadAsync(c => BuildStatusAsync(c, null, jobId), ct);

    public Task<bool> SetOverallAsync(long jobId, string overall, DateTimeOffset? resumeAt, string? error, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var changed = await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = @overall, rate_limit_resume_at = @resumeAt::timestamptz, error_message = COALESCE(@error::text, error_message)
            WHERE id = @jobId AND (overall <> @overall OR rate_limit_resume_at IS DISTINCT FROM @resumeAt::timestamptz)
              AND overall NOT IN ('FINISHED', 'FAILED')
            """, new { jobId, overall, resumeAt = Pg.Utc(resumeAt), error }, tx);
        if (changed > 0) await RefreshStatusAsync(c, tx, jobId);
        return changed > 0;
    }, ct);

    public Task FinishRunAsync(long runId, bool succeeded, string? error, DateTimeOffset? syncedUpTo, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await PostgresDatabase.LockRunAsync(c, tx, runId);
        // Conditional, under the run's lock: only the first caller ends the run, so the job finishes exactly once.
        var ended = await c.ExecuteAsync("UPDATE etl_job_runs SET status = @status, finished_at = now(), error = @error WHERE id = @runId AND status = 'running'",
            new { runId, status = succeeded ? RunStatus.Succeeded : RunStatus.Failed, error }, tx);
        if (ended == 0) return 0;
        var jobId = await c.ExecuteScalarAsync<long>("SELECT job_id FROM etl_job_runs WHERE id = @runId", new { runId }, tx);
        await c.ExecuteAsync(succeeded
            ? """
              UPDATE etl_jobs SET overall = 'FINISHED', last_run_finished_at = now(), last_sync_date = @syncedUpTo::timestamptz, error_message = NULL,
                retry_count = 0, rate_limit_resume_at = NULL, next_run = now() + make_interval(mins => schedule_interval_minutes::int) WHERE id = @jobId
              """
            : """
              UPDATE etl_jobs SET overall = 'FAILED', last_run_finished_at = now(), error_message = @error, retry_count = retry_count + 1,
                rate_limit_resume_at = NULL, next_run = now() + make_interval(mins => retry_interval_minutes::int) WHERE id = @jobId
              """, new { jobId, syncedUpTo = Pg.Utc(syncedUpTo), error }, tx);
        await RefreshStatusAsync(c, tx, jobId);
        return 1;
    }, ct);

    public Task<bool> ReopenRunAsync(long runId, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await PostgresDatabase.LockRunAsync(c, tx, runId);
        var args = new { runId };
        var open = await c.ExecuteScalarAsync<long>("""
            SELECT (SELECT count(*) FROM checkpoints WHERE run_id = @runId AND status IN ('pending', 'failed'))
                 + (SELECT count(*) FROM work_items WHERE run_id = @runId AND state IN ('waiting', 'pending', 'failed'))
            """, args, tx);
        if (open == 0) return false;
        await c.ExecuteAsync("""
            UPDATE checkpoints SET status = 'pending', attempts = 0, lease_owner = NULL, lease_until = NULL WHERE run_id = @runId AND status = 'failed';
            UPDATE work_items SET state = 'pending', attempts = 0 WHERE run_id = @runId AND state = 'failed';
            UPDATE run_stages SET state = 'running', finished_at = NULL WHERE run_id = @runId AND state = 'failed';
            UPDATE etl_job_runs SET status = 'running', finished_at = NULL, error = NULL WHERE id = @runId;
            UPDATE etl_jobs SET overall = 'RUNNING', error_message = NULL WHERE current_run_id = @runId;
            """, args, tx);
        var jobId = await c.ExecuteScalarAsync<long>("SELECT job_id FROM etl_job_runs WHERE id = @runId", args, tx);
        await RefreshStatusAsync(c, tx, jobId);
        return true;
    }, ct);

    /// <summary>Keeps etl_jobs.status (the seed's JSON column) equal to what the stage tables say.</summary>
    internal static async Task RefreshStatusAsync(IDbConnection c, IDbTransaction tx, long jobId)
    {
        var status = await BuildStatusAsync(c, tx, jobId);
        await c.ExecuteAsync("UPDATE etl_jobs SET status = @json::jsonb WHERE id = @jobId", new { json = JsonSerializer.Serialize(status), jobId }, tx);
    }

    internal static async Task<JobStatus> BuildStatusAsync(IDbConnection c, IDbTransaction? tx, long jobId)
    {
        var job = await c.QuerySingleAsync<JobHead>(
            "SELECT overall AS Overall, current_run_id AS RunId, rate_limit_resume_at AS ResumeAt, error_message AS Error FROM etl_jobs WHERE id = @jobId", new { jobId }, tx);
        var stages = job.RunId is null ? [] : (await c.QueryAsync<(string Step, string Stage, string State)>(
            "SELECT step, stage, state FROM run_stages WHERE run_id = @RunId", new { job.RunId }, tx)).ToList();
        var progress = job.RunId is null ? [] : (await c.QueryAsync<(string Step, long Total, long Done, long Pages)>(
            "SELECT step, items_total, items_done, pages FROM run_steps WHERE run_id = @RunId", new { job.RunId }, tx)).ToDictionary(p => p.Step);

        string StateOf(string step, Stage stage) =>
            stages.FirstOrDefault(s => s.Step == step && s.Stage == StageNames.Of(stage)).State ?? StageState.Idle;

        var steps = GitHubPrJob.Steps.ToDictionary(s => s.Name, s =>
        {
            var p = progress.GetValueOrDefault(s.Name);
            return new StepStatus(s.Order, s.DisplayName, StateOf(s.Name, Stage.Extract), StateOf(s.Name, Stage.Transform), StateOf(s.Name, Stage.Embed),
                new StepProgress(p.Done, Math.Max(p.Total, p.Done), p.Pages));
        });
        return new JobStatus(job.Overall, job.RunId, steps, job.ResumeAt, job.Error);
    }

    private static async Task<JobRecord?> ReadJobAsync(IDbConnection c, long id, IDbTransaction? tx)
    {
        var row = await c.QuerySingleOrDefaultAsync<JobRow>($"SELECT {JobColumns} FROM etl_jobs WHERE id = @id", new { id }, tx);
        return row?.ToRecord();
    }

    internal static async Task<RunRecord?> ReadRunAsync(IDbConnection c, long id, IDbTransaction? tx) =>
        (await c.QuerySingleOrDefaultAsync<RunRow>($"SELECT {RunColumns} FROM etl_job_runs WHERE id = @id", new { id }, tx))?.ToRecord();

    private sealed class JobHead
    {
        public string Overall { get; set; } = "";
        public long? RunId { get; set; }
        public DateTimeOffset? ResumeAt { get; set; }
        public string? Error { get; set; }
    }

    private sealed class RunRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public long JobId { get; set; }
        public long IntegrationId { get; set; }
        public string Status { get; set; } = "";
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        public DateTimeOffset? Since { get; set; }
        public bool EmbeddingsEnabled { get; set; }
        public string? Error { get; set; }

        public RunRecord ToRecord() => new(Id, TenantId, JobId, IntegrationId, Status, StartedAt, FinishedAt, Since, EmbeddingsEnabled, Error);
    }

    internal sealed class JobRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public long IntegrationId { get; set; }
        public string JobName { get; set; } = "";
        public string Overall { get; set; } = "";
        public bool Active { get; set; }
        public long ScheduleMinutes { get; set; }
        public long RetryMinutes { get; set; }
        public DateTimeOffset? LastSyncDate { get; set; }
        public DateTimeOffset? LastRunStartedAt { get; set; }
        public DateTimeOffset? LastRunFinishedAt { get; set; }
        public DateTimeOffset? NextRun { get; set; }
        public string? Error { get; set; }
        public long RetryCount { get; set; }
        public long? CurrentRunId { get; set; }

        public JobRecord ToRecord() => new(Id, TenantId, IntegrationId, JobName, Overall, Active, TimeSpan.FromMinutes(ScheduleMinutes),
            TimeSpan.FromMinutes(RetryMinutes), LastSyncDate, LastRunStartedAt, LastRunFinishedAt, NextRun, Error, (int)RetryCount, CurrentRunId);
    }
}
