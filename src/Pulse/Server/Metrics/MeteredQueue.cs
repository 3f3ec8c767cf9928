using System.Runtime.CompilerServices;
using Pulse.Core.Queue;

namespace Pulse.Server.Metrics;

/// <summary>The queue (in-process or RabbitMQ), counting every delivery this process completed or retried per stage.</summary>
public sealed class MeteredQueue(IWorkQueue inner, Lazy<PulseMetrics> metrics) : IWorkQueue
{
    public Task PublishAsync(WorkMessage message, CancellationToken ct) => inner.PublishAsync(message, ct);

    public async IAsyncEnumerable<IDelivery> ConsumeAsync(string queue, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var delivery in inner.ConsumeAsync(queue, ct)) yield return new Counted(delivery, metrics.Value);
    }

    private sealed class Counted(IDelivery inner, PulseMetrics metrics) : IDelivery
    {
        public WorkMessage Message => inner.Message;
        public int Attempt => inner.Attempt;

        public Task CompleteAsync(CancellationToken ct)
        {
            metrics.Items.Add(1, new KeyValuePair<string, object?>("queue", Message.Queue));
            return inner.CompleteAsync(ct);
        }

        public Task RetryAsync(CancellationToken ct)
        {
            metrics.Errors.Add(1, new KeyValuePair<string, object?>("queue", Message.Queue));
            return inner.RetryAsync(ct);
        }

        public Task DeadLetterAsync(string error, CancellationToken ct)
        {
            metrics.Errors.Add(1, new KeyValuePair<string, object?>("queue", Message.Queue));
            return inner.DeadLetterAsync(error, ct);
        }
    }
}
