using Pulse.Core.Queue;

namespace Pulse.Core.Sync;

/// <summary>
/// Consumer loops for the three queues. A handler that throws gets its message back for another
/// attempt; after <see cref="MaxAttempts"/> the message goes to the dead-letter queue and its
/// failure is recorded on its work item (<paramref name="poisoned"/>), so the run can end and show it.
/// </summary>
public sealed class PipelineWorkers(IWorkQueue queue, IReadOnlyDictionary<string, (int Concurrency, Func<WorkMessage, CancellationToken, Task> Handle)> handlers, Action<string> log,
    Func<WorkMessage, string, CancellationToken, Task>? poisoned = null)
{
    public const int MaxAttempts = 5;
    private int _busy;

    /// <summary>Handlers running right now: zero with empty queues means the pipeline is idle.</summary>
    public int Busy => Volatile.Read(ref _busy);

    public IReadOnlyList<Task> Start(CancellationToken ct) =>
        handlers.SelectMany(h => Enumerable.Range(0, h.Value.Concurrency).Select(_ => Task.Run(() => LoopAsync(h.Key, h.Value.Handle, ct), ct))).ToList();

    private async Task LoopAsync(string name, Func<WorkMessage, CancellationToken, Task> handle, CancellationToken ct)
    {
        // A consumer outlives a broker restart: a stream that breaks, or a channel that cannot be opened yet, is opened again.
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var delivery in queue.ConsumeAsync(name, ct))
                    await HandleAsync(name, delivery, handle, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log($"{name} consumer stopped ({e.GetType().Name}: {e.Message}); consuming again in 1 s");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleAsync(string name, IDelivery delivery, Func<WorkMessage, CancellationToken, Task> handle, CancellationToken ct)
    {
        Interlocked.Increment(ref _busy);
        try
        {
            await handle(delivery.Message, ct);
            await delivery.CompleteAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            log($"{name} item {delivery.Message.ItemId} failed (attempt {delivery.Attempt}): {e.GetType().Name}: {e.Message}");
            try
            {
                if (delivery.Attempt < MaxAttempts)
                {
                    // Back off before the next attempt, so a passing fault (a busy database, a restart) is not counted five times at once.
                    await Task.Delay(TimeSpan.FromMilliseconds(100 << Math.Min(delivery.Attempt, 5)), ct);
                    await delivery.RetryAsync(ct);
                }
                // Not cancelled by a stop: a run that ends on this very failure stops the workers, and the message must still reach
                // its dead-letter queue (a stop between the two left it unacknowledged, back in its queue, never dead-lettered).
                else await GiveUpAsync(delivery, $"{e.GetType().Name}: {e.Message}", CancellationToken.None);
            }
            catch (Exception settle) when (settle is not OperationCanceledException)
            {
                // Not acknowledged, so not lost: the broker hands the message out again once this channel is gone.
                log($"{name} item {delivery.Message.ItemId} could not be put back ({settle.GetType().Name}: {settle.Message}); left unacknowledged");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
        }
    }

    private async Task GiveUpAsync(IDelivery delivery, string error, CancellationToken ct)
    {
        var reason = $"gave up after {delivery.Attempt} attempts: {error}";
        // Record first, then dead-letter: a crash in between redelivers, and recording is idempotent.
        if (poisoned is not null)
        {
            try
            {
                await poisoned(delivery.Message, reason, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log($"recording the failure of {delivery.Message.Queue} item {delivery.Message.ItemId} failed: {e.Message}");
            }
        }
        await delivery.DeadLetterAsync(reason, ct);
    }
}
