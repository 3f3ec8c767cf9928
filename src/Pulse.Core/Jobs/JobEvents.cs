namespace Pulse.Core.Jobs;

/// <summary>The seed's job_status_update: a job's full status at a moment; <paramref name="Source"/> names the process that reported it, when another one did.</summary>
public sealed record JobStatusChanged(long TenantId, long JobId, JobStatus Status, DateTimeOffset Timestamp, string? Source = null);

/// <summary>Where status changes go: the CLI's progress view, the WebSocket feed, other processes.</summary>
public interface IJobEventBus
{
    Task PublishAsync(JobStatusChanged change, CancellationToken ct);

    IDisposable Subscribe(Func<JobStatusChanged, Task> handler);
}

/// <summary>Delivers events to the subscribers of this process.</summary>
public sealed class InProcessJobEventBus : IJobEventBus
{
    private readonly Lock _gate = new();
    private ImmutableHandlers _handlers = new([]);

    public async Task PublishAsync(JobStatusChanged change, CancellationToken ct)
    {
        foreach (var handler in _handlers.Items) await handler(change);
    }

    public IDisposable Subscribe(Func<JobStatusChanged, Task> handler)
    {
        lock (_gate) _handlers = new([.. _handlers.Items, handler]);
        return new Unsubscriber(() => { lock (_gate) _handlers = new([.. _handlers.Items.Where(h => h != handler)]); });
    }

    private sealed record ImmutableHandlers(Func<JobStatusChanged, Task>[] Items);

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
