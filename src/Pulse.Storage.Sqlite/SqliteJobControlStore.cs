using System.Globalization;
using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

public sealed class SqliteJobControlStore(SqliteDatabase db) : IJobControlStore
{
    public Task<IReadOnlyList<JobRecord>> ListAsync(long? tenantId, string jobName, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<JobRecord>)(await c.QueryAsync<JobRow>("""
            SELECT id AS Id, tenant_id AS TenantId, integration_id AS IntegrationId, job_name AS JobName, overall AS Overall, active AS Active,
              schedule_interval_minutes AS ScheduleMinutes, retry_interval_minutes AS RetryMinutes, last_sync_date AS LastSyncDate,
              last_run_started_at AS LastRunStartedAt, last_run_finished_at AS LastRunFinishedAt, next_run AS NextRun,
              error_message AS Error, retry_count AS RetryCount, current_run_id AS CurrentRunId
            FROM etl_jobs WHERE job_name = @jobName AND (@tenantId IS NULL OR tenant_id = @tenantId) ORDER BY id
            """, new { tenantId, jobName })).Select(r => r.ToRecord()).ToList(), ct);

    public Task<bool> TryLeaseAsync(long jobId, long tenantId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            // The conditional upsert is the whole guard: a live lease of any owner (this process included) refuses the claim.
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

    public Task<bool> UpdateSettingsAsync(long jobId, TimeSpan schedule, TimeSpan retry, DateTimeOffset? nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var changed = await c.ExecuteAsync("""
            UPDATE etl_jobs SET schedule_interval_minutes = @schedule, retry_interval_minutes = @retry, next_run = COALESCE(@nextRun, next_run) WHERE id = @jobId
            """, new { jobId, schedule = (long)schedule.TotalMinutes, retry = (long)retry.TotalMinutes, nextRun }, tx);
        return changed > 0;
    }, ct);

    public Task<bool> SetActiveAsync(long jobId, bool active, DateTimeOffset? nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE etl_jobs SET active = @active, next_run = COALESCE(@nextRun, next_run) WHERE id = @jobId", new { jobId, active, nextRun }, tx) > 0, ct);

    public Task ResetAsync(long jobId, DateTimeOffset nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'READY', current_run_id = NULL, error_message = NULL, retry_count = 0, rate_limit_resume_at = NULL,
              next_run = @nextRun WHERE id = @jobId
            """, new { jobId, nextRun }, tx);
        await SqliteJobStore.RefreshStatusAsync(c, tx, jobId);
        return 0;
    }, ct);

    public Task MarkStartFailedAsync(long jobId, string error, DateTimeOffset nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'FAILED', error_message = @error, retry_count = retry_count + 1, last_run_finished_at = @now, next_run = @nextRun
            WHERE id = @jobId
            """, new { jobId, error, nextRun, now = DateTimeOffset.UtcNow }, tx);
        await SqliteJobStore.RefreshStatusAsync(c, tx, jobId);
        return 0;
    }, ct);

    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(long jobId, int limit, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RunSummary>)(await c.QueryAsync<RunRow>("""
            SELECT id AS Id, status AS Status, started_at AS StartedAt, finished_at AS FinishedAt, since AS Since, embeddings_enabled AS EmbeddingsEnabled,
              error AS Error, points AS Points, requests AS Requests, pages AS Pages
            FROM etl_job_runs WHERE job_id = @jobId ORDER BY id DESC LIMIT @limit
            """, new { jobId, limit })).Select(r => new RunSummary(r.Id, r.Status, r.StartedAt, r.FinishedAt, r.Since, r.EmbeddingsEnabled, r.Error, r.Points, r.Requests, r.Pages)).ToList(), ct);

    private static DateTimeOffset? ParseLoose(string? value) =>
        value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class RunRow
    {
        public long Id { get; set; }
        public string Status { get; set; } = "";
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }
        public DateTimeOffset? Since { get; set; }
        public bool EmbeddingsEnabled { get; set; }
        public string? Error { get; set; }
        public long Points { get; set; }
        public long Requests { get; set; }
        public long Pages { get; set; }
    }

    private sealed class JobRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public long IntegrationId { get; set; }
        public string JobName { get; set; } = "";
        public string Overall { get; set; } = "";
        public bool Active { get; set; }
        public long ScheduleMinutes { get; set; }
        public long RetryMinutes { get; set; }
        public string? LastSyncDate { get; set; }
        public string? LastRunStartedAt { get; set; }
        public string? LastRunFinishedAt { get; set; }
        // next_run is written both as ISO text and by SQLite's datetime() ("YYYY-MM-DD HH:MM:SS", UTC): read both.
        public string? NextRun { get; set; }
        public string? Error { get; set; }
        public long RetryCount { get; set; }
        public long? CurrentRunId { get; set; }

        public JobRecord ToRecord() => new(Id, TenantId, IntegrationId, JobName, Overall, Active, TimeSpan.FromMinutes(ScheduleMinutes),
            TimeSpan.FromMinutes(RetryMinutes), ParseLoose(LastSyncDate), ParseLoose(LastRunStartedAt), ParseLoose(LastRunFinishedAt), ParseLoose(NextRun),
            Error, (int)RetryCount, CurrentRunId);
    }
}
