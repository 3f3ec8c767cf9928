using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Server.Jobs;

namespace Pulse.Server.Api;

/// <summary>A job as a dashboard card shows it: the seed's status JSON plus schedule, timings and errors.</summary>
public sealed record JobView(
    long Id, long IntegrationId, string JobName, string IntegrationOwner, bool IntegrationActive, bool Active, bool Running, JobStatus Status,
    long ScheduleIntervalMinutes, long RetryIntervalMinutes, DateTimeOffset? LastSyncDate, DateTimeOffset? LastRunStartedAt,
    DateTimeOffset? LastRunFinishedAt, double? LastRunSeconds, DateTimeOffset? NextRun, string? Error, int RetryCount,
    DateTimeOffset? RateLimitResumeAt, JobCompleteness Completeness);

/// <summary>How much of the current run's work is stored: items done out of GitHub's totalCount, over every step.</summary>
public sealed record JobCompleteness(long Done, long Total, double Percent);

public sealed class JobViews(PulseStorage storage, JobRunner runner)
{
    public async Task<JobView> OfAsync(JobRecord job, CancellationToken ct)
    {
        var status = await storage.Runs.GetStatusAsync(job.Id, ct);
        var integration = await storage.Integrations.GetAsync(job.TenantId, job.IntegrationId, ct);
        var done = status.Steps.Values.Sum(s => s.Progress.Done);
        var total = status.Steps.Values.Sum(s => s.Progress.Total);
        double? seconds = job.LastRunStartedAt is { } s && job.LastRunFinishedAt is { } f && f >= s ? (f - s).TotalSeconds : null;
        // The overall status decides, not the runner: its last event goes out while it is still winding down.
        var running = job.Overall is OverallStatus.Running or OverallStatus.RateLimited
            || (runner.IsRunning(job.Id) && job.Overall is not (OverallStatus.Finished or OverallStatus.Failed));
        return new JobView(job.Id, job.IntegrationId, job.JobName, integration?.Owner ?? "", integration?.Active ?? false, job.Active, running, status,
            (long)job.ScheduleInterval.TotalMinutes, (long)job.RetryInterval.TotalMinutes, job.LastSyncDate, job.LastRunStartedAt, job.LastRunFinishedAt,
            seconds, running ? null : job.NextRun, job.Error, job.RetryCount, status.RateLimitResumeAt,
            new JobCompleteness(done, total, total == 0 ? 0 : Math.Round(100.0 * done / total, 1)));
    }
}
