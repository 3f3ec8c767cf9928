namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// A clock for the simulator whose reading moves only when the test moves it, while its timers (answer latency) run in real
/// time. A rate-limit window then resets when the test says so, never early because a loaded machine was slow: tests that
/// need "the limit is spent and stays spent until…" read the same on a quiet laptop and on a CI box at load 100.
/// </summary>
internal sealed class HeldClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves the reading forward to <paramref name="to"/>; never back.</summary>
    public void MoveTo(DateTimeOffset to)
    {
        var target = to.UtcTicks;
        for (var seen = Interlocked.Read(ref _ticks); seen < target; seen = Interlocked.Read(ref _ticks))
            if (Interlocked.CompareExchange(ref _ticks, target, seen) == seen) return;
    }
}
