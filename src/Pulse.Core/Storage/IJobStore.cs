namespace Pulse.Core.Storage;

/// <summary>Jobs as the scheduler and the API see them: definitions, schedule, overall status.</summary>
public interface IJobStore
{
    /// <summary>Returns the job (tenant, integration, name), creating it idle the first time.</summary>
    Task<JobRecord> EnsureJobAsync(long tenantId, long integrationId, string jobName, CancellationToken ct);

    Task<JobRecord?> GetJobAsync(long jobId, CancellationToken ct);

    /// <summary>The jobs of that name, of one tenant or (null) of all.</summary>
    Task<IReadOnlyList<JobRecord>> ListAsync(long? tenantId, string jobName, CancellationToken ct);

    Task<bool> UpdateSettingsAsync(long jobId, TimeSpan schedule, TimeSpan retry, DateTimeOffset? nextRun, CancellationToken ct);

    Task<bool> SetActiveAsync(long jobId, bool active, DateTimeOffset? nextRun, CancellationToken ct);

    /// <summary>Back to READY with no run, error or retry count: the next run starts fresh.</summary>
    Task ResetAsync(long jobId, DateTimeOffset nextRun, CancellationToken ct);

    /// <summary>Records a start that failed before a run existed (e.g. discovery could not reach GitHub).</summary>
    Task MarkStartFailedAsync(long jobId, string error, DateTimeOffset nextRun, CancellationToken ct);

    /// <summary>Sets the overall status of a running job (RUNNING / RATE_LIMITED and when it resumes); false if it already was that.</summary>
    Task<bool> SetOverallAsync(long jobId, string overall, DateTimeOffset? resumeAt, string? error, CancellationToken ct);
}

/// <summary>
/// Job leases: only one process at a time runs a job, however many serve it. A lease is taken with a conditional
/// write, so of two processes racing for one job exactly one gets it.
/// </summary>
public interface IJobLeaseStore
{
    /// <summary>Takes the job's lease if nobody holds a live one (this owner included); true if this owner got it.</summary>
    Task<bool> TryLeaseAsync(long jobId, long tenantId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct);

    Task<bool> RenewLeaseAsync(long jobId, string owner, DateTimeOffset until, CancellationToken ct);

    Task ReleaseLeaseAsync(long jobId, string owner, CancellationToken ct);
}
