namespace Pulse.Core.Queue;

/// <summary>The three queues of the pipeline.</summary>
public static class QueueNames
{
    public const string Extract = "pulse.extract";
    public const string Transform = "pulse.transform";
    public const string Embed = "pulse.embed";

    public static readonly IReadOnlyList<string> All = [Extract, Transform, Embed];
}

/// <summary>
/// A queue message carries ids only; the database holds the work. An extraction message is a turn:
/// the database decides which run it serves (the least recently served one with work, of any tenant);
/// its tenant, run and checkpoint say who queued it.
/// </summary>
public sealed record WorkMessage(string Queue, long TenantId, long RunId, long ItemId);

/// <summary>Publish, and deliveries you complete or retry: at-least-once, so handlers are idempotent.</summary>
public interface IWorkQueue
{
    Task PublishAsync(WorkMessage message, CancellationToken ct);

    IAsyncEnumerable<IDelivery> ConsumeAsync(string queue, CancellationToken ct);
}

/// <summary>One delivered message. Complete it only after its database work committed.</summary>
public interface IDelivery
{
    WorkMessage Message { get; }

    /// <summary>1 on first delivery, then 2, 3, ... on redeliveries.</summary>
    int Attempt { get; }

    Task CompleteAsync(CancellationToken ct);

    /// <summary>Puts the message back for another attempt.</summary>
    Task RetryAsync(CancellationToken ct);

    /// <summary>Gives up on the message: it goes to the queue's dead-letter queue with its error (the in-process queue drops it).</summary>
    Task DeadLetterAsync(string error, CancellationToken ct);
}
