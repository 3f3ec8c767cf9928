using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Server.Jobs;

/// <summary>When a job is due: the seed's schedule (every 240 min), retries after the retry interval, rate limits at their reset.</summary>
public static class JobSchedule
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(240);

    /// <summary>True when the scheduler should start (or resume) the job now.</summary>
    public static bool IsDue(JobRecord job, DateTimeOffset? rateLimitResumeAt, DateTimeOffset now) => job.Active && job.Overall switch
    {
        // A RUNNING job nobody holds a lease on was orphaned by a stopped process: resume it (the lease decides who).
        OverallStatus.Running => true,
        OverallStatus.RateLimited => (rateLimitResumeAt ?? job.NextRun ?? now) <= now,
        _ => job.NextRun is { } next && next <= now,
    };

    /// <summary>The next run after a settings change: from the last finish, by the retry interval after a failure.</summary>
    public static DateTimeOffset? NextRunAfterSettings(JobRecord job, TimeSpan schedule, TimeSpan retry, DateTimeOffset now) => job.Overall switch
    {
        OverallStatus.Running or OverallStatus.RateLimited => null,
        OverallStatus.Failed => (job.LastRunFinishedAt ?? now) + retry,
        _ => (job.LastRunFinishedAt ?? now) + schedule,
    };
}
