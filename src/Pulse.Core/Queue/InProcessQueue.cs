using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Pulse.Core.Queue;

/// <summary>
/// The embedded default: one bounded channel per queue, so memory stays flat however large the
/// organisation. A crash loses what is in it; the database still holds the work, and a restart
/// queues it again.
/// </summary>
public sealed class InProcessQueue(int capacity = 10_000) : IWorkQueue
{
    private readonly ConcurrentDictionary<string, Channel<Envelope>> _channels = new();

    private Channel<Envelope> ChannelFor(string queue) => _channels.GetOrAdd(queue, _ =>
        Channel.CreateBounded<Envelope>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait }));

    public int Depth(string queue) => _channels.TryGetValue(queue, out var c) ? c.Reader.Count : 0;

    public Task PublishAsync(WorkMessage message, CancellationToken ct) =>
        ChannelFor(message.Queue).Writer.WriteAsync(new Envelope(message, 1), ct).AsTask();

    public async IAsyncEnumerable<IDelivery> ConsumeAsync(string queue, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = ChannelFor(queue).Reader;
        while (await reader.WaitToReadAsync(ct))
        {
            while (reader.TryRead(out var envelope))
                yield return new Delivery(this, envelope);
        }
    }

    private sealed record Envelope(WorkMessage Message, int Attempt);

    private sealed class Delivery(InProcessQueue queue, Envelope envelope) : IDelivery
    {
        public WorkMessage Message => envelope.Message;
        public int Attempt => envelope.Attempt;

        public Task CompleteAsync(CancellationToken ct) => Task.CompletedTask;

        public Task DeadLetterAsync(string error, CancellationToken ct) => Task.CompletedTask;

        public Task RetryAsync(CancellationToken ct)
        {
            var again = envelope with { Attempt = envelope.Attempt + 1 };
            var writer = queue.ChannelFor(Message.Queue).Writer;
            // Never block a consumer on its own full queue: that could stop every consumer at once.
            if (!writer.TryWrite(again)) _ = Task.Run(() => writer.WriteAsync(again, CancellationToken.None).AsTask(), CancellationToken.None);
            return Task.CompletedTask;
        }
    }
}
