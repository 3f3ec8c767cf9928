using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pulse.Core.GitHub.Auth;

/// <summary>
/// How an integration signs in to GitHub: one or several personal tokens (<see cref="TokensKind"/>), or a GitHub App
/// installation (<see cref="AppKind"/>). Stored only protected (<see cref="Serialize"/> then ISecretProtector), never shown.
/// </summary>
public sealed record GitHubCredentials
{
    public const string TokensKind = "tokens";
    public const string AppKind = "github_app";

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = TokensKind;

    [JsonPropertyName("tokens")]
    public IReadOnlyList<string> Tokens { get; init; } = [];

    [JsonPropertyName("app")]
    public GitHubAppCredentials? App { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> (never naming a token) when there is none, or one is blank or holds whitespace.</summary>
    public static GitHubCredentials FromTokens(IEnumerable<string> tokens)
    {
        var list = tokens.ToList();
        if (list.Count == 0) throw new ArgumentException("No GitHub token: give at least one token.");
        for (var i = 0; i < list.Count; i++)
            if (string.IsNullOrWhiteSpace(list[i]) || list[i].Any(char.IsWhiteSpace))
                throw new ArgumentException($"GitHub token {i + 1} of {list.Count} is empty or contains whitespace.");
        if (list.Distinct(StringComparer.Ordinal).Count() != list.Count) throw new ArgumentException("The same GitHub token is given twice.");
        return new GitHubCredentials { Kind = TokensKind, Tokens = list };
    }

    /// <summary>Throws <see cref="ArgumentException"/> on a non-positive id or a key that is not a PEM RSA private key.</summary>
    public static GitHubCredentials FromApp(long appId, string privateKeyPem, long installationId)
    {
        if (appId <= 0) throw new ArgumentException($"The GitHub App id must be a positive number, got {appId}.");
        if (installationId <= 0) throw new ArgumentException($"The installation id must be a positive number, got {installationId}.");
        using var _ = GitHubAppCredentials.LoadKey(privateKeyPem);
        return new GitHubCredentials { Kind = AppKind, App = new GitHubAppCredentials(appId, privateKeyPem, installationId) };
    }

    public string Serialize() => JsonSerializer.Serialize(this);

    /// <summary>Reads <see cref="Serialize"/>'s form; a bare token (what integrations stored before auth kinds) is a pool of one.</summary>
    public static GitHubCredentials Deserialize(string text) =>
        text.StartsWith('{') ? JsonSerializer.Deserialize<GitHubCredentials>(text) ?? throw new InvalidOperationException("Empty credentials.")
            : new GitHubCredentials { Kind = TokensKind, Tokens = [text] };
}

/// <summary>A GitHub App installation: the App's id, its private key (PEM) and the installation's id.</summary>
public sealed record GitHubAppCredentials(
    [property: JsonPropertyName("app_id")] long AppId,
    [property: JsonPropertyName("private_key")] string PrivateKeyPem,
    [property: JsonPropertyName("installation_id")] long InstallationId)
{
    public const string BadKeyMessage =
        "The GitHub App private key is not a PEM RSA private key (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----, as GitHub issues it).";

    /// <summary>Throws <see cref="ArgumentException"/> with <see cref="BadKeyMessage"/> when the text holds no RSA private key.</summary>
    public static RSA LoadKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            // A public key imports too, but cannot sign: only a private key is the App's key.
            rsa.ExportParameters(includePrivateParameters: true);
            return rsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new ArgumentException(BadKeyMessage);
        }
    }

    // The key is a secret: a record's generated ToString would print it.
    public override string ToString() => $"GitHub App {AppId}, installation {InstallationId}";
}
