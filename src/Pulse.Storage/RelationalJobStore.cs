using Dapper;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalJobStore(RelationalDatabase db) : IJobStore
{
    public Task<JobRecord> EnsureJobAsync(long tenantId, long integrationId, string jobName, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            INSERT INTO etl_jobs (tenant_id, integration_id, job_name, status, overall, next_run)
            VALUES (@tenantId, @integrationId, @jobName, '{}', 'READY', @now)
            ON CONFLICT (tenant_id, integration_id, job_name) DO NOTHING
            """, new { tenantId, integrationId, jobName, now = db.Now }, tx);
        var id = await c.ExecuteScalarAsync<long>("SELECT id FROM etl_jobs WHERE tenant_id = @tenantId AND integration_id = @integrationId AND job_name = @jobName",
            new { tenantId, integrationId, jobName }, tx);
        await JobStatusReader.RefreshAsync(c, tx, db.Dialect, id);
        return (await c.QuerySingleAsync<JobRow>($"SELECT {JobRow.Columns} FROM etl_jobs WHERE id = @id", new { id }, tx)).ToRecord();
    }, ct);

    public Task<JobRecord?> GetJobAsync(long jobId, CancellationToken ct) => db.ReadAsync(async c =>
        (await c.QuerySingleOrDefaultAsync<JobRow>($"SELECT {JobRow.Columns} FROM etl_jobs WHERE id = @jobId", new { jobId }))?.ToRecord(), ct);

    public Task<IReadOnlyList<JobRecord>> ListAsync(long? tenantId, string jobName, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<JobRecord>)(await c.QueryAsync<JobRow>($"""
            SELECT {JobRow.Columns} FROM etl_jobs WHERE job_name = @jobName AND (@tenantId IS NULL OR tenant_id = @tenantId) ORDER BY id
            """, new { tenantId, jobName })).Select(r => r.ToRecord()).ToList(), ct);

    public Task<bool> UpdateSettingsAsync(long jobId, TimeSpan schedule, TimeSpan retry, DateTimeOffset? nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET schedule_interval_minutes = @schedule, retry_interval_minutes = @retry, next_run = COALESCE(@nextRun, next_run) WHERE id = @jobId
            """, new { jobId, schedule = (long)schedule.TotalMinutes, retry = (long)retry.TotalMinutes, nextRun }, tx) > 0, ct);

    public Task<bool> SetActiveAsync(long jobId, bool active, DateTimeOffset? nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE etl_jobs SET active = @active, next_run = COALESCE(@nextRun, next_run) WHERE id = @jobId", new { jobId, active, nextRun }, tx) > 0, ct);

    public Task ResetAsync(long jobId, DateTimeOffset nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'READY', current_run_id = NULL, error_message = NULL, retry_count = 0, rate_limit_resume_at = NULL,
              next_run = @nextRun WHERE id = @jobId
            """, new { jobId, nextRun }, tx);
        await JobStatusReader.RefreshAsync(c, tx, db.Dialect, jobId);
        return 0;
    }, ct);

    public Task MarkStartFailedAsync(long jobId, string error, DateTimeOffset nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'FAILED', error_message = @error, retry_count = retry_count + 1, last_run_finished_at = @now, next_run = @nextRun
            WHERE id = @jobId
            """, new { jobId, error, nextRun, now = db.Now }, tx);
        await JobStatusReader.RefreshAsync(c, tx, db.Dialect, jobId);
        return 0;
    }, ct);

    public Task<bool> SetOverallAsync(long jobId, string overall, DateTimeOffset? resumeAt, string? error, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var changed = await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = @overall, rate_limit_resume_at = @resumeAt, error_message = COALESCE(@error, error_message)
            WHERE id = @jobId AND (overall <> @overall OR rate_limit_resume_at IS DISTINCT FROM @resumeAt) AND overall NOT IN ('FINISHED', 'FAILED')
            """, new { jobId, overall, resumeAt, error }, tx);
        if (changed > 0) await JobStatusReader.RefreshAsync(c, tx, db.Dialect, jobId);
        return changed > 0;
    }, ct);
}

/// <summary>An etl_jobs row as Dapper reads it on either backend.</summary>
internal sealed class JobRow
{
    public const string Columns = """
        id AS Id, tenant_id AS TenantId, integration_id AS IntegrationId, job_name AS JobName, overall AS Overall, active AS Active,
        schedule_interval_minutes AS ScheduleMinutes, retry_interval_minutes AS RetryMinutes, last_sync_date AS LastSyncDate,
        last_run_started_at AS LastRunStartedAt, last_run_finished_at AS LastRunFinishedAt, next_run AS NextRun,
        error_message AS Error, retry_count AS RetryCount, current_run_id AS CurrentRunId
        """;

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

public sealed class RelationalJobLeaseStore(RelationalDatabase db) : IJobLeaseStore
{
    public Task<bool> TryLeaseAsync(long jobId, long tenantId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            // The conditional upsert is the whole guard: it locks the row and re-checks the WHERE against the latest committed lease,
            // so of two processes racing for one job exactly one gets a row back; a live lease of any owner (this one too) refuses.
            var got = await c.ExecuteScalarAsync<long?>("""
                INSERT INTO job_leases (job_id, tenant_id, owner, lease_until) VALUES (@jobId, @tenantId, @owner, @until)
                ON CONFLICT (job_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
                WHERE job_leases.lease_until < @now
                RETURNING job_id
                """, new { jobId, tenantId, owner, now, until }, tx);
            return got is not null;
        }, ct);

    public Task<bool> RenewLeaseAsync(long jobId, string owner, DateTimeOffset until, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE job_leases SET lease_until = @until WHERE job_id = @jobId AND owner = @owner", new { jobId, owner, until }, tx) > 0, ct);

    public Task ReleaseLeaseAsync(long jobId, string owner, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("DELETE FROM job_leases WHERE job_id = @jobId AND owner = @owner", new { jobId, owner }, tx), ct);
}
