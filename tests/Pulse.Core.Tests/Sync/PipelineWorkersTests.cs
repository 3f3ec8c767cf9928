using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Testing;
using Pulse.Core.Queue;
using Pulse.Core.Sync;

namespace Pulse.Core.Tests.Sync;

/// <summary>Consumer loops outlive a broker restart: a broken consume stream or a failed put-back never ends a loop.</summary>
public sealed class PipelineWorkersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_ConsumeStreamBreaks_ConsumesAgainAndHandlesTheNextMessage()
    {
        var queue = new FlakyQueue { BreakFirstStreams = 2 };
        var handled = new TaskCompletionSource<WorkMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new FakeLogger();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var workers = new PipelineWorkers(queue, Handlers((m, _) => { handled.TrySetResult(m); return Task.CompletedTask; }), log);
        var loops = workers.Start(stop.Token);

        await queue.Inner.PublishAsync(new WorkMessage(QueueNames.Transform, 1, 1, 42), Ct);

        Assert.Equal(42, (await handled.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct)).ItemId);
        Assert.Equal(3, queue.Streams);
        Assert.Equal(2, log.Collector.GetSnapshot().Count(r => r.Message.Contains("consumer stopped", StringComparison.Ordinal)));
        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(1), Ct);
    }

    [Fact]
    public async Task Start_PuttingAFailedMessageBackFails_TheLoopGoesOnWithTheNextMessage()
    {
        var queue = new FlakyQueue { FailRetries = true };
        var seen = new List<long>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var workers = new PipelineWorkers(queue, Handlers((m, _) =>
        {
            lock (seen) seen.Add(m.ItemId);
            if (m.ItemId == 1) throw new InvalidOperationException("the database is restarting");
            second.TrySetResult();
            return Task.CompletedTask;
        }), new FakeLogger());
        var loops = workers.Start(stop.Token);

        await queue.Inner.PublishAsync(new WorkMessage(QueueNames.Transform, 1, 1, 1), Ct);
        await queue.Inner.PublishAsync(new WorkMessage(QueueNames.Transform, 1, 1, 2), Ct);

        await second.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        lock (seen) Assert.Equal([1L, 2L], seen);
        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromMinutes(1), Ct);
    }

    private static Dictionary<string, (int, Func<WorkMessage, CancellationToken, Task>)> Handlers(Func<WorkMessage, CancellationToken, Task> handle) =>
        new() { [QueueNames.Transform] = (1, handle) };

    /// <summary>An in-process queue whose first streams break (a broker restart) and whose put-backs may fail (the broker still away).</summary>
    private sealed class FlakyQueue : IWorkQueue
    {
        private int _streams;
        public InProcessQueue Inner { get; } = new();
        public int BreakFirstStreams { get; init; }
        public bool FailRetries { get; init; }
        public int Streams => Volatile.Read(ref _streams);

        public Task PublishAsync(WorkMessage message, CancellationToken ct) => Inner.PublishAsync(message, ct);

        public async IAsyncEnumerable<IDelivery> ConsumeAsync(string queue, [EnumeratorCancellation] CancellationToken ct)
        {
            if (Interlocked.Increment(ref _streams) <= BreakFirstStreams) throw new IOException("connection reset by the broker");
            await foreach (var d in Inner.ConsumeAsync(queue, ct))
                yield return FailRetries ? new UnputBackable(d) : d;
        }
    }

    private sealed class UnputBackable(IDelivery inner) : IDelivery
    {
        public WorkMessage Message => inner.Message;
        public int Attempt => inner.Attempt;
        public Task CompleteAsync(CancellationToken ct) => inner.CompleteAsync(ct);
        public Task RetryAsync(CancellationToken ct) => throw new IOException("the broker is unreachable");
        public Task DeadLetterAsync(string error, CancellationToken ct) => throw new IOException("the broker is unreachable");
    }
}
