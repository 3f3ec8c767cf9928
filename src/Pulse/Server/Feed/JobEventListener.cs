using Pulse.Storage.Postgres;

namespace Pulse.Server.Feed;

/// <summary>Keeps this process's one LISTEN connection for job status events open while it serves.</summary>
public sealed class JobEventListener(PostgresJobEventBus events) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => events.ListenAsync(stoppingToken);
}
