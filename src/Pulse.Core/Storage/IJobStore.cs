using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Core.Storage;

/// <summary>The first checkpoints of a run: one per repository.</summary>
public sealed record RunStart(long TenantId, long JobId, long IntegrationId, DateTimeOffset StartedAt, DateTimeOffset? Since, bool EmbeddingsEnabled, IReadOnlyList<NewCheckpoint> Checkpoints, int PageSize);

/// <summary>Jobs, their runs and the status JSON the dashboard shows.</summary>
public interface IJobStore
{
    /// <summary>Returns the job (tenant, integration, name), creating it idle the first time.</summary>
    Task<JobRecord> EnsureJobAsync(long tenantId, long integrationId, string jobName, CancellationToken ct);

    Task<JobRecord?> GetJobAsync(long jobId, CancellationToken ct);

    /// <summary>Creates the run, its twelve stages and first checkpoints, and marks the job RUNNING, in one transaction.</summary>
    Task<RunRecord> StartRunAsync(RunStart start, CancellationToken ct);

    Task<RunRecord?> GetRunAsync(long runId, CancellationToken ct);

    /// <summary>The status JSON of the job, built from its current run's stages and progress.</summary>
    Task<JobStatus> GetStatusAsync(long jobId, CancellationToken ct);

    /// <summary>Sets the overall status (and resume time / error); returns false if it already was that.</summary>
    Task<bool> SetOverallAsync(long jobId, string overall, DateTimeOffset? resumeAt, string? error, CancellationToken ct);

    /// <summary>Reopens a failed run that still has open work (its checkpoints and items go back to pending); false if nothing is left.</summary>
    Task<bool> ReopenRunAsync(long runId, CancellationToken ct);

    /// <summary>Ends a run; on success the job's last_sync_date becomes <paramref name="syncedUpTo"/>.</summary>
    Task FinishRunAsync(long runId, bool succeeded, string? error, DateTimeOffset? syncedUpTo, CancellationToken ct);
}
