namespace Pulse.Core.GitHub;

/// <summary>
/// One token's view of GitHub's primary limit, shared by every worker that uses the token, so
/// that no request is sent while the budget is exhausted.
/// </summary>
public interface IRateLimitBudget
{
    /// <summary>Waits until <paramref name="points"/> can be spent above the reserve; reports a pause and its end.</summary>
    Task WaitForAsync(int points, IRateLimitPauseListener listener, CancellationToken ct);

    /// <summary>Records what GitHub said after a request.</summary>
    void Observe(RateLimitInfo info);

    /// <summary>Records that GitHub refused a request for the primary limit until <paramref name="resetAt"/>.</summary>
    void Exhausted(DateTimeOffset resetAt);

    RateLimitInfo? Current { get; }

    /// <summary>Points that may be spent now above the reserve; null when GitHub has not reported a limit.</summary>
    int? Headroom => Current?.Remaining;
}

/// <summary>Told when work stops for the primary limit and when it goes on (the job shows RATE_LIMITED meanwhile).</summary>
public interface IRateLimitPauseListener
{
    Task PausedAsync(DateTimeOffset resumeAt, CancellationToken ct);
    Task ResumedAsync(CancellationToken ct);
}
