namespace Pulse.GitHubSimulator.Http;

/// <summary>What a budget belongs to on GitHub. Tokens of one user share its budgets; an App installation has its own.</summary>
public enum AccountKind
{
    User,
    Installation,
}

/// <summary>
/// A GitHub principal whose primary and secondary budgets its tokens share. <see cref="Key"/> names the budgets;
/// <see cref="DatabaseId"/> is the id GitHub's RATE_LIMITED message names ("for user ID 1431904").
/// </summary>
public sealed record Account(AccountKind Kind, string Login, long DatabaseId, int PointsPerHour)
{
    /// <summary>The login GitHub serves as <c>viewer</c> for the account's tokens; null for an installation, which has no viewer.</summary>
    public string? ViewerLogin { get; init; }

    public string Key => $"{Kind.ToString().ToLowerInvariant()}:{Login}";

    /// <summary>The "for user ID N" of GitHub's primary-limit message.</summary>
    public string RateLimitSubject => $"{Kind.ToString().ToLowerInvariant()} ID {DatabaseId}";
}

/// <summary>One accepted token and the login it acts for: "alice:t1", or a bare "t1" that is its own user.</summary>
public readonly record struct TokenGrant(string Login, string Token)
{
    public static TokenGrant Parse(string entry)
    {
        var parts = entry.Split(':', 2);
        var grant = parts.Length == 2 ? new TokenGrant(parts[0], parts[1]) : new TokenGrant(entry, entry);
        if (!Valid(grant.Login) || !Valid(grant.Token))
            throw new ArgumentException($"Token entry '{Masked(entry)}' must be TOKEN or USER:TOKEN, each non-empty without whitespace.");
        return grant;
    }

    private static bool Valid(string part) => !string.IsNullOrEmpty(part) && !part.Any(char.IsWhiteSpace) && !part.Contains(':');

    /// <summary>Error messages name the user, never the token.</summary>
    private static string Masked(string entry) => entry.Contains(':') ? entry.Split(':', 2)[0] + ":***" : "***";
}
