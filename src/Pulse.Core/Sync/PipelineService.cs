using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// The stage workers of this process, for as long as it runs. With a shared queue (a registry is there) it also beats
/// as a live worker of its stages, so runs know someone serves them, and leaves when it stops.
/// </summary>
public sealed class PipelineService(PipelineHost host, TimeProvider time, ILogger<PipelineService> logger, IWorkerRegistry? registry = null) : BackgroundService
{
    /// <summary>This process as a worker: host, pid and a random part (a pid can come back after a restart).</summary>
    public static readonly string WorkerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public static WorkerPresence Presence(IReadOnlySet<Stage> stages, DateTimeOffset now, string? refusal = null) =>
        new(WorkerId, Environment.MachineName, Environment.ProcessId, stages, now, refusal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (host.Stages.Count == 0) return;
        var loops = host.Start(stoppingToken);
        if (registry is not null) await BeatAsync(registry, stoppingToken);
        else await WaitAsync(stoppingToken);
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task BeatAsync(IWorkerRegistry workers, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(WorkerRoster.Beat, time);
        do
        {
            try
            {
                await workers.BeatAsync(Presence(host.Stages, time.GetUtcNow()), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be restarting: the next beat tries again (three missed beats and runs count this worker gone).
                logger.LogWarning("Worker heartbeat failed: {Message}", e.Message);
            }
        }
        while (await WaitForTickAsync(timer, ct));
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await workers.LeaveAsync(WorkerId, grace.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("Leaving the worker registry failed: {Message}", e.Message);   // the beats stop: the worker counts gone soon
        }
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
