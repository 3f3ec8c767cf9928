namespace Pulse.Core.GitHub;

/// <summary>
/// Where GitHub answers: its GraphQL endpoint and its REST root (for App installation tokens). github.com serves them at
/// api.github.com/graphql and api.github.com/; GitHub Enterprise Server at https://HOST/api/graphql and https://HOST/api/v3/.
/// </summary>
public sealed record GitHubEndpoints(Uri GraphQL, Uri Rest)
{
    public static readonly GitHubEndpoints DotCom = new(new Uri("https://api.github.com/graphql"), new Uri("https://api.github.com/"));

    /// <summary>True for GitHub Enterprise Server's layout (/api/graphql, /api/v3).</summary>
    public bool IsEnterprise => GraphQL.AbsolutePath.EndsWith("/api/graphql", StringComparison.Ordinal);

    /// <summary>
    /// Normalises what a user types: https://HOST, https://HOST/api/graphql or https://HOST/api/v3 (Enterprise Server),
    /// api.github.com or github.com (any of their forms), or a URL ending in /graphql (github.com's layout, e.g. the simulator).
    /// Throws <see cref="ArgumentException"/> with one line naming the value.
    /// </summary>
    public static GitHubEndpoints Parse(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            throw new ArgumentException($"The GitHub URL must be an http(s) URL such as https://api.github.com or https://HOST (Enterprise Server), not '{value}'.");
        if (uri.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase) || uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase))
            return DotCom;
        var root = uri.GetLeftPart(UriPartial.Authority);
        var path = uri.AbsolutePath.TrimEnd('/');
        foreach (var suffix in new[] { "/api/graphql", "/api/v3", "/api" })
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return Enterprise(root + path[..^suffix.Length]);
        if (path.Length == 0) return Enterprise(root);
        if (path.EndsWith("/graphql", StringComparison.OrdinalIgnoreCase))
            return new GitHubEndpoints(new Uri(root + path), new Uri(root + path[..^"/graphql".Length] + "/"));
        throw new ArgumentException($"The GitHub URL '{value}' names no GitHub API: use https://HOST, https://HOST/api/graphql or https://HOST/api/v3.");
    }

    /// <summary>The endpoints of a stored (already normalised) GraphQL URL.</summary>
    public static GitHubEndpoints ForGraphQL(Uri graphQL) => Parse(graphQL.ToString());

    private static GitHubEndpoints Enterprise(string root) => new(new Uri(root + "/api/graphql"), new Uri(root + "/api/v3/"));
}
