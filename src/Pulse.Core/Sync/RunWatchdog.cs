using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// Watches one run until it ends — the one watchdog of <c>sync</c> and <c>serve</c>. Each tick it reads the run and hands its
/// status to the caller (progress line, lease renewal, status event); when the run went quiet it queues again whatever the
/// database holds open; with a shared queue it ends the run when no worker is there to do a stage's work.
/// Quiet means: in-process, nothing queued and nothing running for two ticks; with a shared broker (whose depth and other
/// hosts' work are not visible here) no change in the database's progress for <see cref="PipelineOptions.QuietTimeout"/>.
/// </summary>
public sealed class RunWatchdog(IRunStore runs, RunCoordinator coordinator, PipelineHost host, IOptions<PipelineOptions> options, TimeProvider time,
    ILogger<RunWatchdog> logger, InProcessQueue? local = null, WorkerRoster? workers = null)
{
    public async Task<RunRecord> WatchAsync(RunRecord run, Func<JobStatus, CancellationToken, Task> tick, CancellationToken ct)
    {
        var o = options.Value;
        var idleTicks = 0;
        var lastProgress = "";
        var lastProgressAt = time.GetUtcNow();
        var watchingSince = time.GetUtcNow();
        var lastServed = watchingSince;
        while (true)
        {
            run = await runs.GetRunAsync(run.Id, ct) ?? throw new InvalidOperationException($"Run {run.Id} does not exist.");
            var status = await runs.GetStatusAsync(run.JobId, ct);
            await tick(status, ct);
            if (run.Status != RunStatus.Running) return run;
            await Task.Delay(o.WatchInterval, time, ct);

            if (workers is not null)
            {
                var check = await workers.CheckAsync(run, watchingSince, lastServed, ct);
                if (check.Served) lastServed = time.GetUtcNow();
                if (check.Failure is { } missing)
                {
                    logger.LogError("Run {RunId} cannot go on: {Reason}", run.Id, missing);
                    await coordinator.FailRunAsync(run.Id, missing, ct);
                    continue;
                }
            }

            bool quiet;
            if (local is not null)
            {
                var idle = host.Busy == 0 && QueueNames.All.All(q => local.Depth(q) == 0);
                idleTicks = idle ? idleTicks + 1 : 0;
                quiet = idleTicks >= 2;
            }
            else
            {
                var seen = ProgressSignature(status);
                if (seen != lastProgress) (lastProgress, lastProgressAt) = (seen, time.GetUtcNow());
                quiet = time.GetUtcNow() - lastProgressAt >= o.QuietTimeout;
            }
            if (!quiet) continue;
            idleTicks = 0;
            lastProgressAt = time.GetUtcNow();
            logger.LogInformation("watchdog: run {RunId} went quiet; queuing its open work again", run.Id);
            await coordinator.AfterCommitAsync(run.Id, ct);
            await host.QueueOutstandingAsync(run, ct);
        }
    }

    private static string ProgressSignature(JobStatus status) => string.Join(";", status.Steps.OrderBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => $"{s.Value.Extraction},{s.Value.Transform},{s.Value.Embedding},{s.Value.Progress.Done},{s.Value.Progress.Total},{s.Value.Progress.Pages}"));
}
