using Dapper;
using Pulse.Core.GitHub;

namespace Pulse.Storage.Postgres;

/// <summary>
/// One token's primary-limit budget shared by every worker on every host: the row of
/// <c>rate_limits</c> keyed by the token's hash, read and reserved under a row lock.
/// </summary>
public sealed class PostgresRateLimitBudget(PostgresDatabase db, string tokenHash, TimeProvider time, RateLimitBudgetOptions options) : IRateLimitBudget
{
    private RateLimitInfo? _current;

    public RateLimitInfo? Current => Volatile.Read(ref _current);

    public async Task WaitForAsync(int points, IRateLimitPauseListener listener, CancellationToken ct)
    {
        var paused = false;
        while (true)
        {
            var resumeAt = await TryReserveAsync(points, ct);
            if (resumeAt is null) break;
            if (!paused)
            {
                paused = true;
                await listener.PausedAsync(resumeAt.Value, ct);
            }
            var wait = resumeAt.Value - time.GetUtcNow();
            // Another host may observe the reset first: look again at least every few seconds.
            if (wait > TimeSpan.Zero) await Task.Delay(wait < TimeSpan.FromSeconds(5) ? wait : TimeSpan.FromSeconds(5), time, ct);
        }
        if (paused) await listener.ResumedAsync(ct);
    }

    /// <summary>Null when the points were reserved; else when to look again.</summary>
    private Task<DateTimeOffset?> TryReserveAsync(int points, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        var row = await c.QuerySingleOrDefaultAsync<Row>(
            "SELECT rate_limit AS Limit, remaining AS Remaining, used AS Used, reset_at AS ResetAt, reserved AS Reserved FROM rate_limits WHERE token_hash = @tokenHash FOR UPDATE",
            new { tokenHash }, tx);
        if (row is null) return (DateTimeOffset?)null;
        var now = time.GetUtcNow();
        var info = new RateLimitInfo((int)row.Limit, (int)row.Remaining, (int)row.Used, row.ResetAt);
        if (now >= row.ResetAt + options.ResetMargin)
        {
            // The window has reset: until GitHub says otherwise, assume a full budget.
            info = new RateLimitInfo(info.Limit, info.Limit, 0, row.ResetAt + options.Window);
            await c.ExecuteAsync("UPDATE rate_limits SET remaining = @Remaining, used = 0, reset_at = @resetAt, reserved = @points, updated_at = @now WHERE token_hash = @tokenHash",
                new { info.Remaining, resetAt = info.ResetAt.ToUniversalTime(), points, tokenHash, now }, tx);
            Volatile.Write(ref _current, info);
            return null;
        }
        Volatile.Write(ref _current, info);
        if (row.Remaining - row.Reserved - points < options.ReserveFor(info.Limit)) return row.ResetAt + options.ResetMargin;
        await c.ExecuteAsync("UPDATE rate_limits SET reserved = reserved + @points WHERE token_hash = @tokenHash", new { points, tokenHash }, tx);
        return null;
    }, ct);

    public void Observe(RateLimitInfo info) => Write(info, exhausted: false);

    public void Exhausted(DateTimeOffset resetAt)
    {
        var limit = Current?.Limit ?? 5000;
        Write(new RateLimitInfo(limit, 0, limit, resetAt), exhausted: true);
    }

    // Answers arrive out of order from many hosts: within one window keep the most pessimistic view.
    private void Write(RateLimitInfo info, bool exhausted)
    {
        Volatile.Write(ref _current, info);
        // Through the retry like every other write: an answer observed while the server restarts is kept, not thrown at the extraction.
        db.WriteAsync((c, tx) => c.ExecuteAsync("""
            INSERT INTO rate_limits (token_hash, rate_limit, remaining, used, reset_at, reserved, updated_at)
            VALUES (@tokenHash, @Limit, @Remaining, @Used, @resetAt, 0, @now)
            ON CONFLICT (token_hash) DO UPDATE SET
              rate_limit = excluded.rate_limit, used = excluded.used, reserved = 0, updated_at = excluded.updated_at,
              remaining = CASE WHEN rate_limits.reset_at = excluded.reset_at AND NOT @exhausted THEN LEAST(rate_limits.remaining, excluded.remaining) ELSE excluded.remaining END,
              reset_at = excluded.reset_at
            """, new { tokenHash, info.Limit, info.Remaining, info.Used, resetAt = info.ResetAt.ToUniversalTime(), exhausted, now = time.GetUtcNow() }, tx), CancellationToken.None).GetAwaiter().GetResult();
    }

    private sealed class Row
    {
        public long Limit { get; set; }
        public long Remaining { get; set; }
        public long Used { get; set; }
        public DateTimeOffset ResetAt { get; set; }
        public long Reserved { get; set; }
    }
}
