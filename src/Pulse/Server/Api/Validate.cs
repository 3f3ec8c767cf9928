using System.Text.RegularExpressions;

namespace Pulse.Server.Api;

/// <summary>Input rules shared by the endpoints; each returns the reason a value is refused, or null.</summary>
public static partial class Validate
{
    public static string? GitHubUrl(string? value, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(value)) return "github_url is required (https://api.github.com, or https://HOST for Enterprise Server).";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            return "github_url must be an absolute http(s) URL.";
        if (!string.IsNullOrEmpty(parsed.UserInfo)) return "github_url must not carry credentials; send the token in 'token'.";
        try
        {
            // Stored normalised (the GraphQL endpoint), so https://HOST and https://HOST/api/v3 name one integration.
            uri = Core.GitHub.GitHubEndpoints.Parse(value).GraphQL;
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    public static string? Owner(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "owner is required (a GitHub organisation or user login)."
        : LoginPattern().IsMatch(value) ? null
        : "owner is not a GitHub login (letters, digits and single hyphens, at most 39 characters).";

    public static string? Token(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "token must not be empty."
        : value.Length > 1000 || value.Any(char.IsWhiteSpace) ? "token must be a single word of at most 1000 characters."
        : null;

    /// <summary>A webhook secret to set; "" (on an update) removes it.</summary>
    public static string? WebhookSecret(string? value) =>
        value is null || value.Length == 0 ? null
        : value.Length > 256 || value.Any(char.IsControl) ? "webhook_secret must be at most 256 characters, without control characters."
        : null;

    public static string? PageSize(int? value) => value is null or (>= 1 and <= 100) ? null : "page_size must be between 1 and 100.";

    public static string? FirstSyncDays(int? value) => value is null or (>= 1 and <= 3650) ? null : "first_sync_days must be between 1 and 3650.";

    public static string? RepositoryFilters(IReadOnlyList<string>? filters)
    {
        if (filters is null) return null;
        if (filters.Count > 200) return "repository_filters may hold at most 200 entries.";
        var bad = filters.FirstOrDefault(f => f is null || !FilterPattern().IsMatch(f));
        return bad is null && filters.All(f => f is not null) ? null
            : $"repository_filters entry '{bad}' is not a repository name (letters, digits, '.', '_', '-'), optionally ending in '*'.";
    }

    /// <summary>Bot logins: GitHub logins, optionally with REST's "[bot]" suffix; at most 500.</summary>
    public static string? BotLogins(IReadOnlyList<string>? logins)
    {
        if (logins is null) return null;
        if (logins.Count > 500) return "bot_logins may hold at most 500 entries.";
        var bad = logins.FirstOrDefault(l => l is null || !BotLoginPattern().IsMatch(l.Trim()));
        return bad is null && logins.All(l => l is not null) ? null : $"bot_logins entry '{bad}' is not a GitHub login (letters, digits and hyphens, optionally ending in [bot]).";
    }

    /// <summary>Logins as stored: trimmed, one of each (case-insensitive), in the order given.</summary>
    public static IReadOnlyList<string> Logins(IReadOnlyList<string>? logins) =>
        [.. (logins ?? []).Select(l => l.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$")]
    private static partial Regex BotLoginPattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")]
    private static partial Regex LoginPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}\*?$|^\*$")]
    private static partial Regex FilterPattern();
}
