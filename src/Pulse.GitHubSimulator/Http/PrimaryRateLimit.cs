using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// GitHub's primary limit: points per window per account (a user's tokens share one). A window starts at the
/// account's first request and is replaced by a fresh one once it has ended, as GitHub does.
/// </summary>
internal sealed class PrimaryRateLimit(SimulatorOptions options)
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed class Bucket
    {
        public DateTimeOffset ResetAt;
        public int Used;
    }

    /// <summary>The bucket as it stands, opening a window when none is running.</summary>
    public RateLimitSnapshot Peek(Account account, int cost = 0, long nodeCount = 0)
    {
        lock (_lock) return Snapshot(account, Current(account), cost, nodeCount);
    }

    /// <summary>Charges <paramref name="cost"/> when it fits; false (nothing charged) when the bucket cannot pay it.</summary>
    public bool TryCharge(Account account, int cost, long nodeCount, out RateLimitSnapshot snapshot)
    {
        lock (_lock)
        {
            var bucket = Current(account);
            if (account.PointsPerHour - bucket.Used < cost)
            {
                snapshot = Snapshot(account, bucket, cost, nodeCount);
                return false;
            }
            bucket.Used += cost;
            snapshot = Snapshot(account, bucket, cost, nodeCount);
            return true;
        }
    }

    /// <summary>
    /// Deducts points the account owes whatever it has left (a timeout's penalty): the budget may go to zero but
    /// never below, as GitHub's remaining never shows a negative number.
    /// </summary>
    /// <returns>The points deducted.</returns>
    public int Deduct(Account account, int points)
    {
        lock (_lock)
        {
            var bucket = Current(account);
            var deducted = Math.Clamp(account.PointsPerHour - bucket.Used, 0, points);
            bucket.Used += deducted;
            return deducted;
        }
    }

    public void Reset()
    {
        lock (_lock) _buckets.Clear();
    }

    private Bucket Current(Account account)
    {
        var now = options.TimeProvider.GetUtcNow();
        if (!_buckets.TryGetValue(account.Key, out var bucket) || now >= bucket.ResetAt)
        {
            // Whole seconds, so rateLimit.resetAt and the epoch-seconds x-ratelimit-reset header agree.
            var resetAt = DateTimeOffset.FromUnixTimeSeconds((now + options.RateWindow).ToUnixTimeSeconds());
            if (resetAt <= now) resetAt = resetAt.AddSeconds(1);
            bucket = new Bucket { ResetAt = resetAt };
            _buckets[account.Key] = bucket;
        }
        return bucket;
    }

    private static RateLimitSnapshot Snapshot(Account account, Bucket bucket, int cost, long nodeCount) =>
        new(cost, account.PointsPerHour, account.PointsPerHour - bucket.Used, bucket.Used, bucket.ResetAt, nodeCount);
}
