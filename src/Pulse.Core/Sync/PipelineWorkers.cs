using Pulse.Core.Queue;

namespace Pulse.Core.Sync;

/// <summary>
/// Consumer loops for the three queues. A handler that throws gets its message back for another
/// attempt; after <see cref="MaxAttempts"/> the message is dropped and the database (which still
/// holds the item as open) is what a watchdog or restart queues again.
/// </summary>
public sealed class PipelineWorkers(IWorkQueue queue, IReadOnlyDictionary<string, (int Concurrency, Func<WorkMessage, CancellationToken, Task> Handle)> handlers, Action<string> log)
{
    public const int MaxAttempts = 5;
    private int _busy;

    /// <summary>Handlers running right now: zero with empty queues means the pipeline is idle.</summary>
    public int Busy => Volatile.Read(ref _busy);

    public IReadOnlyList<Task> Start(CancellationToken ct) =>
        handlers.SelectMany(h => Enumerable.Range(0, h.Value.Concurrency).Select(_ => Task.Run(() => LoopAsync(h.Key, h.Value.Handle, ct), ct))).ToList();

    private async Task LoopAsync(string name, Func<WorkMessage, CancellationToken, Task> handle, CancellationToken ct)
    {
        try
        {
            await foreach (var delivery in queue.ConsumeAsync(name, ct))
            {
                Interlocked.Increment(ref _busy);
                try
                {
                    await handle(delivery.Message, ct);
                    await delivery.CompleteAsync(ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    log($"{name} item {delivery.Message.ItemId} failed (attempt {delivery.Attempt}): {e.GetType().Name}: {e.Message}");
                    if (delivery.Attempt < MaxAttempts) await delivery.RetryAsync(ct);
                    else await delivery.CompleteAsync(ct);
                }
                finally
                {
                    Interlocked.Decrement(ref _busy);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
