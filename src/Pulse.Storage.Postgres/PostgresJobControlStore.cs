using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>
/// The server's view of jobs. Leases are what keep a job to one serve process: many may run the
/// scheduler against one database, and only the one whose conditional upsert returns a row starts it.
/// </summary>
public sealed class PostgresJobControlStore(PostgresDatabase db) : IJobControlStore
{
    public Task<IReadOnlyList<JobRecord>> ListAsync(long? tenantId, string jobName, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<JobRecord>)(await c.QueryAsync<PostgresJobStore.JobRow>($"""
            SELECT {PostgresJobStore.JobColumns}
            FROM etl_jobs WHERE job_name = @jobName AND (@tenantId::bigint IS NULL OR tenant_id = @tenantId) ORDER BY id
            """, new { tenantId, jobName })).Select(r => r.ToRecord()).ToList(), ct);

    public Task<bool> TryLeaseAsync(long jobId, long tenantId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        db.WriteAsync(async (c, tx) =>
        {
            // ON CONFLICT DO UPDATE locks the row and re-checks the WHERE against the latest committed lease,
            // so of two processes racing for one job exactly one gets a row back; a live lease (ours too) refuses.
            var got = await c.ExecuteScalarAsync<long?>("""
                INSERT INTO job_leases (job_id, tenant_id, owner, lease_until) VALUES (@jobId, @tenantId, @owner, @until)
                ON CONFLICT (job_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
                WHERE job_leases.lease_until < @now
                RETURNING job_id
                """, new { jobId, tenantId, owner, now = Pg.Utc(now), until = Pg.Utc(until) }, tx);
            return got is not null;
        }, ct);

    public Task<bool> RenewLeaseAsync(long jobId, string owner, DateTimeOffset until, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE job_leases SET lease_until = @until WHERE job_id = @jobId AND owner = @owner",
            new { jobId, owner, until = Pg.Utc(until) }, tx) > 0, ct);

    public Task ReleaseLeaseAsync(long jobId, string owner, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("DELETE FROM job_leases WHERE job_id = @jobId AND owner = @owner", new { jobId, owner }, tx), ct);

    public Task<bool> UpdateSettingsAsync(long jobId, TimeSpan schedule, TimeSpan retry, DateTimeOffset? nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET schedule_interval_minutes = @schedule, retry_interval_minutes = @retry, next_run = COALESCE(@nextRun::timestamptz, next_run)
            WHERE id = @jobId
            """, new { jobId, schedule = (long)schedule.TotalMinutes, retry = (long)retry.TotalMinutes, nextRun = Pg.Utc(nextRun) }, tx) > 0, ct);

    public Task<bool> SetActiveAsync(long jobId, bool active, DateTimeOffset? nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("UPDATE etl_jobs SET active = @active, next_run = COALESCE(@nextRun::timestamptz, next_run) WHERE id = @jobId",
            new { jobId, active, nextRun = Pg.Utc(nextRun) }, tx) > 0, ct);

    public Task ResetAsync(long jobId, DateTimeOffset nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'READY', current_run_id = NULL, error_message = NULL, retry_count = 0, rate_limit_resume_at = NULL,
              next_run = @nextRun WHERE id = @jobId
            """, new { jobId, nextRun = Pg.Utc(nextRun) }, tx);
        await PostgresJobStore.RefreshStatusAsync(c, tx, jobId);
        return 0;
    }, ct);

    public Task MarkStartFailedAsync(long jobId, string error, DateTimeOffset nextRun, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'FAILED', error_message = @error, retry_count = retry_count + 1, last_run_finished_at = now(), next_run = @nextRun
            WHERE id = @jobId
            """, new { jobId, error, nextRun = Pg.Utc(nextRun) }, tx);
        await PostgresJobStore.RefreshStatusAsync(c, tx, jobId);
        return 0;
    }, ct);

    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(long jobId, int limit, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RunSummary>)(await c.QueryAsync<RunRow>("""
            SELECT id AS Id, status AS Status, started_at AS StartedAt, finished_at AS FinishedAt, since AS Since, embeddings_enabled AS EmbeddingsEnabled,
              error AS Error, points AS Points, requests AS Requests, pages AS Pages
            FROM etl_job_runs WHERE job_id = @jobId ORDER BY id DESC LIMIT @limit
            """, new { jobId, limit })).Select(r => r.ToSummary()).ToList(), ct);

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

        public RunSummary ToSummary() => new(Id, Status, StartedAt, FinishedAt, Since, EmbeddingsEnabled, Error, Points, Requests, Pages);
    }
}
