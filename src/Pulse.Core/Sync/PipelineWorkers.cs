using Microsoft.Extensions.Logging;
using Pulse.Core.Extract;
using Pulse.Core.Queue;

namespace Pulse.Core.Sync;

/// <summary>
/// Consumer loops for the three queues. A handler that throws gets its message back for another
/// attempt; after <see cref="MaxAttempts"/> the message goes to the dead-letter queue and its
/// failure is recorded on its work item (<paramref name="poisoned"/>: the message, its last error, the reason), so the run can end and show it.
/// </summary>
public sealed class PipelineWorkers(IWorkQueue queue, IReadOnlyDictionary<string, (int Concurrency, Func<WorkMessage, CancellationToken, Task> Handle)> handlers, ILogger logger,
    Func<WorkMessage, Exception, string, CancellationToken, Task>? poisoned = null)
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
                logger.LogWarning("{Queue} consumer stopped ({Error}: {Message}); consuming again in 1 s", name, e.GetType().Name, e.Message);
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
            logger.LogWarning("{Queue} item {ItemId} failed (attempt {Attempt} of {MaxAttempts}): {Error}: {Message}",
                name, delivery.Message.ItemId, delivery.Attempt, MaxAttempts, e.GetType().Name, e.Message);
            try
            {
                if (delivery.Attempt < MaxAttempts)
                {
                    // Back off before the next attempt, so a passing fault (a busy database, a restart) is not counted five times at once.
                    await Task.Delay(TimeSpan.FromMilliseconds(100 << Math.Min(delivery.Attempt, 5)), ct);
                    await delivery.RetryAsync(ct);
                }
                else await GiveUpAsync(delivery, e, ct);
            }
            catch (Exception settle) when (settle is not OperationCanceledException)
            {
                // Not acknowledged, so not lost: the broker hands the message out again once this channel is gone.
                logger.LogWarning("{Queue} item {ItemId} could not be put back ({Error}: {Message}); left unacknowledged",
                    name, delivery.Message.ItemId, settle.GetType().Name, settle.Message);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
        }
    }

    private async Task GiveUpAsync(IDelivery delivery, Exception error, CancellationToken ct)
    {
        var cause = error is ExtractTurnException turn ? turn.InnerException! : error;
        var reason = $"gave up after {delivery.Attempt} attempts: {cause.GetType().Name}: {cause.Message}";
        logger.LogError("{Queue} item {ItemId} {Reason}", delivery.Message.Queue, delivery.Message.ItemId, reason);
        // Record first, then dead-letter: a crash in between redelivers, and recording is idempotent.
        if (poisoned is not null)
        {
            try
            {
                await poisoned(delivery.Message, error, reason, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Recording the failure of {Queue} item {ItemId} failed: {Message}", delivery.Message.Queue, delivery.Message.ItemId, e.Message);
            }
        }
        await delivery.DeadLetterAsync(reason, ct);
    }
}
