using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// GitHub's primary limit: points per window per token. A window starts at the token's first
/// request and is replaced by a fresh one once it has ended, as GitHub does.
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
    public RateLimitSnapshot Peek(string token, int cost = 0, long nodeCount = 0)
    {
        lock (_lock) return Snapshot(Current(token), cost, nodeCount);
    }

    /// <summary>Charges <paramref name="cost"/> when it fits; false (nothing charged) when the bucket cannot pay it.</summary>
    public bool TryCharge(string token, int cost, long nodeCount, out RateLimitSnapshot snapshot)
    {
        lock (_lock)
        {
            var bucket = Current(token);
            if (options.PointsPerHour - bucket.Used < cost)
            {
                snapshot = Snapshot(bucket, cost, nodeCount);
                return false;
            }
            bucket.Used += cost;
            snapshot = Snapshot(bucket, cost, nodeCount);
            return true;
        }
    }

    public void Reset()
    {
        lock (_lock) _buckets.Clear();
    }

    private Bucket Current(string token)
    {
        var now = options.TimeProvider.GetUtcNow();
        if (!_buckets.TryGetValue(token, out var bucket) || now >= bucket.ResetAt)
        {
            // Whole seconds, so rateLimit.resetAt and the epoch-seconds x-ratelimit-reset header agree.
            var resetAt = DateTimeOffset.FromUnixTimeSeconds((now + options.RateWindow).ToUnixTimeSeconds());
            if (resetAt <= now) resetAt = resetAt.AddSeconds(1);
            bucket = new Bucket { ResetAt = resetAt };
            _buckets[token] = bucket;
        }
        return bucket;
    }

    private RateLimitSnapshot Snapshot(Bucket bucket, int cost, long nodeCount) =>
        new(cost, options.PointsPerHour, options.PointsPerHour - bucket.Used, bucket.Used, bucket.ResetAt, nodeCount);
}
