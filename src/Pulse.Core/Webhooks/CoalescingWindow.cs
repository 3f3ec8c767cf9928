namespace Pulse.Core.Webhooks;

/// <summary>
/// The coalescing window of the deliveries that arrive between two rounds of refreshes. It opens at the first delivery since
/// the last round and closes <see cref="WebhookOptions.CoalesceWindow"/> after it; earlier once none has arrived for
/// <see cref="WebhookOptions.CoalesceIdle"/> (a lone change is refreshed at once), or once it holds
/// <see cref="WebhookOptions.CoalesceDeliveries"/> (a steady stream is refreshed in batches of about that many PRs, which
/// share a query's point, instead of waiting the whole window). Thread-safe: deliveries arrive on request threads.
/// </summary>
public sealed class CoalescingWindow(WebhookOptions options, TimeProvider time)
{
    private long _first, _last;   // UTC ticks of the open window's first and latest delivery; 0: no window open
    private int _count;

    /// <summary>A delivery was stored.</summary>
    public void Arrived()
    {
        var now = time.GetUtcNow().UtcTicks;
        Interlocked.CompareExchange(ref _first, now, 0);
        Interlocked.Exchange(ref _last, now);
        Interlocked.Increment(ref _count);
    }

    /// <summary>How long until the window closes: null when none is open, zero or less when it has closed.</summary>
    public TimeSpan? Left()
    {
        var first = Interlocked.Read(ref _first);
        if (first == 0) return null;
        if (Volatile.Read(ref _count) >= options.CoalesceDeliveries) return TimeSpan.Zero;
        var closes = Math.Min(first + options.CoalesceWindow.Ticks, Interlocked.Read(ref _last) + options.CoalesceIdle.Ticks);
        return TimeSpan.FromTicks(closes - time.GetUtcNow().UtcTicks);
    }

    /// <summary>The round starts: deliveries arriving from here on open the next window (any stored before is listed by this round).</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _first, 0);
    }
}
