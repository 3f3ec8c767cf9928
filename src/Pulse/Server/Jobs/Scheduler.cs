using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Server.Jobs;

/// <summary>
/// Starts due jobs: every schedule interval, retries after the retry interval, rate-limited jobs
/// at their reset time, orphaned runs at once. The runner's lease keeps a job to one process.
/// </summary>
public sealed class Scheduler(IJobStore jobs, IRunStore runs, JobRunner runner, ServerOptions options, TimeProvider time, ILogger<Scheduler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SchedulerTick, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Scheduler tick failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task TickAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var job in await jobs.ListAsync(null, GitHubPrJob.Name, ct))
        {
            if (!job.Active || runner.IsRunning(job.Id) || !await IsDueAsync(job, now, ct)) continue;
            var (outcome, _) = await runner.TryStartAsync(job, ct, (fresh, c) => IsDueAsync(fresh, time.GetUtcNow(), c));
            if (outcome == StartOutcome.Started) logger.LogInformation("Scheduler started job {JobId} ({Overall})", job.Id, job.Overall);
        }
    }

    private async Task<bool> IsDueAsync(JobRecord job, DateTimeOffset now, CancellationToken ct)
    {
        var resumeAt = job.Overall == OverallStatus.RateLimited ? (await runs.GetStatusAsync(job.Id, ct)).RateLimitResumeAt : null;
        return JobSchedule.IsDue(job, resumeAt, now);
    }
}
