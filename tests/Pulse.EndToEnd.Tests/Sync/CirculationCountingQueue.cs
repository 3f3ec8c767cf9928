using System.Runtime.CompilerServices;
using Pulse.Core.Queue;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// A queue that counts the extraction messages in circulation (published, not yet completed or dead-lettered) and
/// keeps the most there ever were: every publisher and consumer of a test's runs goes through it.
/// </summary>
public sealed class CirculationCountingQueue(IWorkQueue inner) : IWorkQueue
{
    private int _current;
    private int _most;

    public int MostExtractMessages => Volatile.Read(ref _most);

    public async Task PublishAsync(WorkMessage message, CancellationToken ct)
    {
        // Counted before it can be delivered, so a fast consumer cannot take the count below zero.
        if (message.Queue == QueueNames.Extract) Raise();
        await inner.PublishAsync(message, ct);
    }

    public async IAsyncEnumerable<IDelivery> ConsumeAsync(string queue, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var delivery in inner.ConsumeAsync(queue, ct))
            yield return queue == QueueNames.Extract ? new Counted(delivery, this) : delivery;
    }

    private void Raise()
    {
        var now = Interlocked.Increment(ref _current);
        for (var most = Volatile.Read(ref _most); now > most; most = Volatile.Read(ref _most))
            Interlocked.CompareExchange(ref _most, now, most);
    }

    private sealed class Counted(IDelivery inner, CirculationCountingQueue owner) : IDelivery
    {
        public WorkMessage Message => inner.Message;
        public int Attempt => inner.Attempt;

        public async Task CompleteAsync(CancellationToken ct)
        {
            await inner.CompleteAsync(ct);
            Interlocked.Decrement(ref owner._current);
        }

        // Back in the queue: still in circulation.
        public Task RetryAsync(CancellationToken ct) => inner.RetryAsync(ct);

        public async Task DeadLetterAsync(string error, CancellationToken ct)
        {
            await inner.DeadLetterAsync(error, ct);
            Interlocked.Decrement(ref owner._current);
        }
    }
}
