using System.CommandLine;
using Pulse.Core.GitHub.Auth;

namespace Pulse.Cli;

/// <summary>How <c>pulse sync</c> signs in: <c>--token</c> (repeatable; else $GITHUB_TOKEN) or an App installation.</summary>
public sealed class GitHubAuthOptions
{
    public Option<string[]> Tokens { get; } = new("--token")
    {
        Description = "GitHub personal token (repeatable: a pool; default $GITHUB_TOKEN). Never logged, stored encrypted.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<long?> AppId { get; } = new("--app-id") { Description = "GitHub App id (with --app-key and --installation-id)" };
    public Option<FileInfo?> AppKey { get; } = new("--app-key") { Description = "The GitHub App's private key, a PEM file" };
    public Option<long?> InstallationId { get; } = new("--installation-id") { Description = "The App's installation id on the owner" };

    /// <summary>Throws <see cref="ArgumentException"/> with one line on a missing, mixed or malformed sign-in.</summary>
    public GitHubCredentials Read(ParseResult parse)
    {
        var tokens = parse.GetValue(Tokens) ?? [];
        var (appId, key, installation) = (parse.GetValue(AppId), parse.GetValue(AppKey), parse.GetValue(InstallationId));
        if (appId is null && key is null && installation is null)
        {
            if (tokens.Length > 0) return GitHubCredentials.FromTokens(tokens);
            return Environment.GetEnvironmentVariable("GITHUB_TOKEN") is { Length: > 0 } fromEnvironment
                ? GitHubCredentials.FromTokens([fromEnvironment])
                : throw new ArgumentException("No GitHub credentials: pass --token (or set GITHUB_TOKEN), or --app-id, --app-key and --installation-id.");
        }
        if (tokens.Length > 0) throw new ArgumentException("Give either --token or a GitHub App (--app-id, --app-key, --installation-id), not both.");
        if (appId is null || key is null || installation is null)
            throw new ArgumentException("A GitHub App needs all three of --app-id, --app-key and --installation-id.");
        if (!key.Exists) throw new ArgumentException($"--app-key: the file '{key.FullName}' does not exist.");
        try
        {
            return GitHubCredentials.FromApp(appId.Value, File.ReadAllText(key.FullName), installation.Value);
        }
        catch (ArgumentException e) when (e.Message == GitHubAppCredentials.BadKeyMessage)
        {
            throw new ArgumentException($"--app-key {key.Name}: {e.Message}");
        }
    }
}
