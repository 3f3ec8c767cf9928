namespace Pulse.Core.Storage;

/// <summary>
/// What the server does to jobs besides running them: list, settings, leases. A lease is taken
/// with a conditional write, so only one process at a time runs a job, however many serve it.
/// </summary>
public interface IJobControlStore
{
    Task<IReadOnlyList<JobRecord>> ListAsync(long? tenantId, string jobName, CancellationToken ct);

    /// <summary>Takes the job's lease if nobody holds a live one; true if this owner got it.</summary>
    Task<bool> TryLeaseAsync(long jobId, long tenantId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct);

    Task<bool> RenewLeaseAsync(long jobId, string owner, DateTimeOffset until, CancellationToken ct);

    Task ReleaseLeaseAsync(long jobId, string owner, CancellationToken ct);

    Task<bool> UpdateSettingsAsync(long jobId, TimeSpan schedule, TimeSpan retry, DateTimeOffset? nextRun, CancellationToken ct);

    Task<bool> SetActiveAsync(long jobId, bool active, DateTimeOffset? nextRun, CancellationToken ct);

    /// <summary>Back to READY with no run, error or retry count: the next run starts fresh.</summary>
    Task ResetAsync(long jobId, DateTimeOffset nextRun, CancellationToken ct);

    /// <summary>Records a start that failed before a run existed (e.g. discovery could not reach GitHub).</summary>
    Task MarkStartFailedAsync(long jobId, string error, DateTimeOffset nextRun, CancellationToken ct);

    Task<IReadOnlyList<RunSummary>> ListRunsAsync(long jobId, int limit, CancellationToken ct);
}
