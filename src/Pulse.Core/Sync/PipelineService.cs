using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// The stage workers of this process, for as long as it runs. With a shared queue (a registry is there) it also beats
/// as a live worker of its stages, so runs know someone serves them, and leaves when it stops. On the same tick it checks
/// that the database's schema is still this build's (<see cref="ISchemaCheck"/>): once a newer Pulse has migrated it, this
/// process stops serving, says why in the registry (a sync waiting on its stages fails naming it) and stops its host, whose
/// command exits non-zero with <see cref="PipelineStop.Reason"/>.
/// </summary>
public sealed class PipelineService(PipelineHost host, TimeProvider time, ILogger<PipelineService> logger, IHostApplicationLifetime lifetime, PipelineStop stop,
    IWorkerRegistry? registry = null, ISchemaCheck? schema = null) : BackgroundService
{
    /// <summary>This process as a worker: host, pid and a random part (a pid can come back after a restart).</summary>
    public static readonly string WorkerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public static WorkerPresence Presence(IReadOnlySet<Stage> stages, DateTimeOffset now, string? refusal = null) =>
        new(WorkerId, Environment.MachineName, Environment.ProcessId, stages, now, refusal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = host.Stages.Count > 0 ? host.Start(stoppingToken) : [];
        // Only a process that runs stages is a worker of the registry; every process checks the schema.
        var beats = host.Stages.Count > 0 ? registry : null;
        if (beats is not null || schema is not null) await TickAsync(beats, stoppingToken);
        else if (loops.Count > 0) await WaitAsync(stoppingToken);
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task TickAsync(IWorkerRegistry? workers, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(WorkerRoster.Beat, time);
        do
        {
            if (await UnknownMigrationAsync(ct) is { } reason)
            {
                await StopServingAsync(reason, workers, ct);
                return;   // not leaving the registry: the refusal stays there for the runs to read
            }
            if (workers is null) continue;
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
        if (workers is not null) await LeaveAsync(workers);
    }

    private async Task<string?> UnknownMigrationAsync(CancellationToken ct)
    {
        if (schema is null) return null;
        try
        {
            return await schema.UnknownMigrationAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Schema check failed: {Message}", e.Message);   // as a missed beat: the next tick checks again
            return null;
        }
    }

    private async Task StopServingAsync(string reason, IWorkerRegistry? workers, CancellationToken ct)
    {
        stop.Reason = reason;
        logger.LogError("This process stops serving: {Reason}", reason);
        try
        {
            if (workers is not null) await workers.RefuseAsync(Presence(host.Stages, time.GetUtcNow(), reason), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Recording the refusal failed: {Message}", e.Message);   // the beats stop: the worker counts gone soon
        }
        lifetime.StopApplication();
    }

    private async Task LeaveAsync(IWorkerRegistry workers)
    {
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
