namespace Pulse.Core.GitHub;

/// <summary>The budget of one token inside one process (the embedded default).</summary>
public sealed class InMemoryRateLimitBudget(TimeProvider time, RateLimitBudgetOptions options) : IRateLimitBudget
{
    private readonly Lock _gate = new();
    private RateLimitInfo? _current;
    private long _reservedPoints;

    public RateLimitInfo? Current { get { lock (_gate) return _current; } }

    public int? Headroom
    {
        get
        {
            lock (_gate)
            {
                if (_current is not { } c) return null;
                // A window that has reset gives its whole limit again.
                var remaining = time.GetUtcNow() >= c.ResetAt + options.ResetMargin ? c.Limit : c.Remaining;
                return remaining - (int)_reservedPoints - options.ReserveFor(c.Limit);
            }
        }
    }

    public async Task WaitForAsync(int points, IRateLimitPauseListener listener, CancellationToken ct)
    {
        var paused = false;
        while (true)
        {
            DateTimeOffset? resumeAt;
            lock (_gate)
            {
                resumeAt = ResumeTime(points);
                if (resumeAt is null)
                {
                    _reservedPoints += points;
                    break;
                }
            }
            if (!paused)
            {
                paused = true;
                await listener.PausedAsync(resumeAt.Value, ct);
            }
            var wait = resumeAt.Value - time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
            lock (_gate)
            {
                // The window has reset: until GitHub says otherwise, assume a full budget.
                if (_current is { } c && time.GetUtcNow() >= c.ResetAt)
                    _current = c with { Remaining = c.Limit, Used = 0, ResetAt = c.ResetAt + options.Window };
            }
        }
        if (paused) await listener.ResumedAsync(ct);
    }

    /// <summary>Null when the points may be spent now; else when to look again. Called under the lock.</summary>
    private DateTimeOffset? ResumeTime(int points)
    {
        if (_current is not { } c) return null;
        var now = time.GetUtcNow();
        // The window has reset: until GitHub says otherwise, assume a full budget, and count what is spent meanwhile against
        // it (a caller that waited elsewhere, e.g. a turn given to other runs, comes back here without a wait of its own).
        if (now >= c.ResetAt + options.ResetMargin) _current = c = c with { Remaining = c.Limit, Used = 0, ResetAt = c.ResetAt + options.Window };
        var reserve = options.ReserveFor(c.Limit);
        return c.Remaining - _reservedPoints - points >= reserve ? null : c.ResetAt + options.ResetMargin;
    }

    public void Observe(RateLimitInfo info)
    {
        lock (_gate)
        {
            _reservedPoints = 0;
            // Answers arrive out of order under concurrency: keep the most pessimistic view of the same window.
            if (_current is { } c && c.ResetAt == info.ResetAt && c.Remaining < info.Remaining) return;
            _current = info;
        }
    }

    public void Exhausted(DateTimeOffset resetAt)
    {
        lock (_gate)
        {
            var limit = _current?.Limit ?? 5000;
            _current = new RateLimitInfo(limit, 0, limit, resetAt);
            _reservedPoints = 0;
        }
    }
}

/// <summary>How much of the hourly budget to leave unused, and how long past the reset to wait.</summary>
public sealed record RateLimitBudgetOptions
{
    /// <summary>Points kept in reserve for the token's other users, as a fraction of the limit. Default 1%.</summary>
    public double ReserveFraction { get; init; } = 0.01;

    /// <summary>Waited past resetAt, since GitHub's clock and ours differ a little. Default 1 s.</summary>
    public TimeSpan ResetMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>GitHub's window length, used when a reset passes without a new answer. Default 1 h.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    public int ReserveFor(int limit) => (int)Math.Floor(limit * ReserveFraction);
}
