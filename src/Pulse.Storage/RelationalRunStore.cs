using System.Data.Common;
using Dapper;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalRunStore(RelationalDatabase db) : IRunStore
{
    public Task<RunRecord> StartRunAsync(RunStart start, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // One run at a time per job: the job's row is the lock.
        await c.ExecuteAsync($"SELECT id FROM etl_jobs WHERE id = @JobId{db.Dialect.ForUpdate}", new { start.JobId }, tx);
        var runId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO etl_job_runs (tenant_id, job_id, integration_id, status, started_at, since, embeddings_enabled)
            VALUES (@TenantId, @JobId, @IntegrationId, 'running', @StartedAt, @Since, @EmbeddingsEnabled) RETURNING id
            """, new { start.TenantId, start.JobId, start.IntegrationId, start.StartedAt, start.Since, start.EmbeddingsEnabled }, tx);
        await c.ExecuteAsync("INSERT INTO run_steps (tenant_id, run_id, step) VALUES (@TenantId, @runId, @step)",
            GitHubPrJob.Steps.Select(s => new { start.TenantId, runId, step = s.Name }), tx);
        await c.ExecuteAsync("INSERT INTO run_stages (tenant_id, run_id, step, stage, state) VALUES (@TenantId, @runId, @step, @stage, 'idle')",
            GitHubPrJob.Steps.SelectMany(s => Enum.GetValues<Stage>().Select(g => new { start.TenantId, runId, step = s.Name, stage = StageNames.Of(g) })), tx);
        await CheckpointRows.InsertAsync(db.Dialect, c, tx, start.TenantId, runId, start.Checkpoints, start.PageSize, ct);
        await c.ExecuteAsync("""
            UPDATE etl_jobs SET overall = 'RUNNING', current_run_id = @runId, last_run_started_at = @StartedAt, error_message = NULL,
              rate_limit_resume_at = NULL, next_run = NULL WHERE id = @JobId
            """, new { runId, start.StartedAt, start.JobId }, tx);
        await JobStatusReader.RefreshAsync(c, tx, db.Dialect, start.JobId);
        return (await RunRow.ReadAsync(c, tx, runId, ""))!.ToRecord();
    }, ct);

    public Task<RunRecord?> GetRunAsync(long runId, CancellationToken ct) => db.ReadAsync(async c => (await RunRow.ReadAsync(c, null, runId, ""))?.ToRecord(), ct);

    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(long jobId, int limit, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RunSummary>)(await c.QueryAsync<RunRow>($"SELECT {RunRow.Columns} FROM etl_job_runs WHERE job_id = @jobId ORDER BY id DESC LIMIT @limit",
            new { jobId, limit })).Select(r => new RunSummary(r.Id, r.Status, r.StartedAt, r.FinishedAt, r.Since, r.EmbeddingsEnabled, r.Error, r.Points, r.Requests, r.Pages))
            .ToList(), ct);

    public Task<JobStatus> GetStatusAsync(long jobId, CancellationToken ct) => db.ReadAsync(c => JobStatusReader.BuildAsync(c, null, jobId), ct);

    public Task<OpenWork> ListOpenWorkAsync(long runId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var checkpoints = (await c.QueryAsync<long>("SELECT id FROM checkpoints WHERE run_id = @runId AND status = 'pending' ORDER BY id", new { runId })).ToList();
        var items = (await c.QueryAsync<(long Id, string Stage)>(
            "SELECT id, stage FROM work_items WHERE run_id = @runId AND state = 'pending' ORDER BY id", new { runId })).ToList();
        return new OpenWork(checkpoints, items.Where(i => i.Stage == "transform").Select(i => i.Id).ToList(),
            items.Where(i => i.Stage == "embedding").Select(i => i.Id).ToList());
    }, ct);

    public Task<RunSnapshot?> ReadSnapshotAsync(long runId, CancellationToken ct) => db.ReadInTransactionAsync(async (c, tx) =>
        await RunRow.ReadAsync(c, tx, runId, "") is { } run ? await RunSnapshotReader.ReadAsync(db.Dialect, c, tx, run.ToRecord()) : null, ct);

    public Task<T> LockRunAsync<T>(long runId, Func<IRunTransaction, CancellationToken, Task<T>> work, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var run = await RunRow.ReadAsync(c, tx, runId, db.Dialect.ForUpdate) ?? throw new InvalidOperationException($"Run {runId} does not exist.");
        var transaction = new RelationalRunTransaction(db, c, tx, run.ToRecord());
        var result = await work(transaction, ct);
        if (transaction.Changed) await JobStatusReader.RefreshAsync(c, tx, db.Dialect, run.JobId);
        return result;
    }, ct);
}

/// <summary>An etl_job_runs row as Dapper reads it on either backend.</summary>
internal sealed class RunRow
{
    public const string Columns = """
        id AS Id, tenant_id AS TenantId, job_id AS JobId, integration_id AS IntegrationId, status AS Status, started_at AS StartedAt,
        finished_at AS FinishedAt, since AS Since, embeddings_enabled AS EmbeddingsEnabled, error AS Error, points AS Points, requests AS Requests, pages AS Pages
        """;

    /// <summary><see cref="Columns"/> of the table aliased <paramref name="alias"/>.</summary>
    public static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(',', StringSplitOptions.TrimEntries).Select(c => $"{alias}.{c}"));

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
    public long Points { get; set; }
    public long Requests { get; set; }
    public long Pages { get; set; }

    public RunRecord ToRecord() => new(Id, TenantId, JobId, IntegrationId, Status, StartedAt, FinishedAt, Since, EmbeddingsEnabled, Error);

    /// <summary>The run's row; <paramref name="lockClause"/> holds it until the commit.</summary>
    public static Task<RunRow?> ReadAsync(DbConnection c, DbTransaction? tx, long id, string lockClause) =>
        c.QuerySingleOrDefaultAsync<RunRow>($"SELECT {Columns} FROM etl_job_runs WHERE id = @id{lockClause}", new { id }, tx);
}
