namespace Pulse.Core.GitHub;

/// <summary>Base of every failure the GitHub client classifies. Messages never contain the token.</summary>
public abstract class GitHubException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>401: the token is unknown, revoked or missing. Not retried: a person has to act.</summary>
public sealed class GitHubAuthException(string message) : GitHubException(message);

/// <summary>The primary (hourly points) limit is exhausted until <see cref="ResetAt"/>.</summary>
public sealed class GitHubRateLimitedException(DateTimeOffset resetAt, string message) : GitHubException(message)
{
    public DateTimeOffset ResetAt { get; } = resetAt;
}

/// <summary>A secondary limit (403 + retry-after): wait, then retry the same request.</summary>
public sealed class GitHubSecondaryLimitException(TimeSpan retryAfter, string message) : GitHubException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>502/504, a reset connection, a client-side timeout or a body that is not whole JSON: retry, smaller.</summary>
public sealed class GitHubTransientException(string kind, string message, Exception? inner = null) : GitHubException(message, inner)
{
    /// <summary>"502", "504", "timeout", "reset", "malformed".</summary>
    public string Kind { get; } = kind;

    /// <summary>True when GitHub said the query took too long: the part that failed must be made smaller.</summary>
    public bool IsTimeout => Kind is "502" or "504" or "timeout";
}

/// <summary>GitHub refused the query itself (validation errors, no data): a bug on our side or bad input, not retried.</summary>
public sealed class GitHubQueryException(string message) : GitHubException(message);

/// <summary>GitHub refused one token of a pool, which was set aside: send again at once, on another token.</summary>
public sealed class GitHubTokenSetAsideException(string message) : GitHubException(message);
