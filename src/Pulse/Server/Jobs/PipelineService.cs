using Pulse.Core.Sync;

namespace Pulse.Server.Jobs;

/// <summary>The stage workers of this process, for as long as it serves.</summary>
public sealed class PipelineService(PipelineHost host) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = host.Start(stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
    }
}
