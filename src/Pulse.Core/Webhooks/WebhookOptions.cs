using System.ComponentModel.DataAnnotations;

namespace Pulse.Core.Webhooks;

/// <summary>How <c>serve</c> receives and acts on GitHub's webhooks.</summary>
public sealed record WebhookOptions
{
    /// <summary>
    /// The largest body accepted, in bytes; larger ones get 413 unread. Default 25 MiB: GitHub caps a payload at 25 MB and
    /// does not send larger ones, so nothing GitHub sends is refused, and nothing larger is buffered.
    /// </summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxBodyBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>How long after a delivery arrives its refresh waits, at most, for others to share it. Default 1 s.</summary>
    public TimeSpan CoalesceWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The coalescing window closes early once no delivery has arrived for this long: a lone change (or one change's burst of
    /// deliveries) is refreshed at once, a steady stream is still shared. Default 250 ms.
    /// </summary>
    public TimeSpan CoalesceIdle { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The coalescing window closes early once this many deliveries arrived in it: under a steady stream of changes a refresh
    /// starts as soon as it names about as many PRs as share a query's point at the target price (1 point per 10 PRs), instead
    /// of the whole window later. Default 12 (bench/results/webhooks.md).
    /// </summary>
    [Range(1, 1000)]
    public int CoalesceDeliveries { get; init; } = 12;

    /// <summary>
    /// Refreshes of one integration that may run at once (never two holding the same PR). Default 4: under a steady stream of
    /// changes GitHub's answer time per refreshed PR is more than the time between changes, so one refresh at a time falls
    /// behind and deliveries wait whole refreshes (bench/results/webhooks.md). A refresh asks its PRs in one round, sized by
    /// what Pulse holds, so refreshes side by side cost no more points per PR than one at a time with as many PRs each.
    /// </summary>
    [Range(1, 32)]
    public int MaxConcurrentRefreshes { get; init; } = 4;

    /// <summary>Attempts of a delivery before it stays failed. Default 3.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before a failed delivery is tried again, doubled per attempt. Default 10 s.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often stored deliveries are looked at without a new one arriving (retries, deliveries of a stopped process). Default 5 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>One line naming the first bad value, or null.</summary>
    public string? Check() =>
        MaxBodyBytes < 1024 ? $"Webhook body cap must be at least 1024 bytes, got {MaxBodyBytes}."
        : CoalesceWindow < TimeSpan.Zero ? $"Webhook coalescing window must not be negative, got {CoalesceWindow}."
        : CoalesceIdle <= TimeSpan.Zero ? $"Webhook coalescing idle time must be positive, got {CoalesceIdle}."
        : CoalesceDeliveries is < 1 or > 1000 ? $"Webhook coalescing deliveries must be between 1 and 1000, got {CoalesceDeliveries}."
        : MaxConcurrentRefreshes is < 1 or > 32 ? $"Webhook concurrent refreshes must be between 1 and 32, got {MaxConcurrentRefreshes}."
        : MaxAttempts < 1 ? $"Webhook attempts must be at least 1, got {MaxAttempts}."
        : RetryBackoff <= TimeSpan.Zero ? $"Webhook retry backoff must be positive, got {RetryBackoff}."
        : PollInterval <= TimeSpan.Zero ? $"Webhook poll interval must be positive, got {PollInterval}."
        : null;
}
