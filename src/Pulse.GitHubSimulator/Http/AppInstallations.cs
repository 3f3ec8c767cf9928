using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// <c>POST /app/installations/{id}/access_tokens</c> as GitHub answers it: the App's JWT verified against the App's public
/// key (RS256 only), <c>exp</c> in the future and at most 10 minutes ahead, <c>iat</c> not in the future; then the
/// installation (404 when the App has none of that id, 403 when suspended); then a token the installation's account
/// spends, expiring after <see cref="SimulatorOptions.InstallationTokenTtl"/> on the simulator's clock.
/// </summary>
internal sealed class AppInstallations
{
    private const string Docs = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app";
    private static readonly TimeSpan MaxJwtLifetime = TimeSpan.FromMinutes(10);

    private sealed record Installation(SimulatedApp App, Account Account)
    {
        public bool Suspended { get; set; }

        public int TokensIssued { get; set; }
    }

    private readonly SimulatorOptions _options;
    private readonly SimulatorAccounts _accounts;
    private readonly Dictionary<long, RsaSecurityKey> _keys = [];
    private readonly Dictionary<long, Installation> _installations = [];
    private readonly Lock _gate = new();

    public AppInstallations(SimulatorOptions options, SimulatorAccounts accounts, long repositories)
    {
        _options = options;
        _accounts = accounts;
        foreach (var app in options.Apps)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(app.PublicKeyPem);
            _keys[app.AppId] = new RsaSecurityKey(rsa) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } };
            var points = SimulatedApp.PointsPerHour(app.Repositories ?? (int)repositories, app.Users, options.PointsPerHour);
            _installations[app.InstallationId] = new Installation(app,
                new Account(AccountKind.Installation, app.InstallationId.ToString(CultureInfo.InvariantCulture), app.InstallationId, points));
        }
    }

    /// <summary>The installation's budget per hour (GitHub's rule), or null when there is no such installation.</summary>
    public int? PointsPerHour(long installationId)
    {
        lock (_gate) return _installations.GetValueOrDefault(installationId)?.Account.PointsPerHour;
    }

    /// <summary>How many tokens the installation was issued; null when there is no such installation.</summary>
    public int? TokensIssued(long installationId)
    {
        lock (_gate) return _installations.GetValueOrDefault(installationId)?.TokensIssued;
    }

    /// <summary>Suspends (or unsuspends) an installation, as an organisation owner does; false when there is none.</summary>
    public bool Suspend(long installationId, bool suspended)
    {
        lock (_gate)
        {
            if (!_installations.TryGetValue(installationId, out var installation)) return false;
            installation.Suspended = suspended;
            return true;
        }
    }

    public async Task HandleAsync(HttpContext http, long installationId)
    {
        var (status, body) = await AnswerAsync(http.Request.Headers.Authorization.ToString(), installationId);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(GitHubBodies.Relaxed), http.RequestAborted);
    }

    private async Task<(int Status, JsonObject Body)> AnswerAsync(string authorization, long installationId)
    {
        var parts = authorization.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase))
            return Refusal(401, "A JSON web token could not be decoded", "https://docs.github.com/rest");
        if (await VerifyAsync(parts[1]) is { } refused) return refused;
        Installation? installation;
        lock (_gate) installation = _installations.GetValueOrDefault(installationId);
        var appId = new JsonWebToken(parts[1]).Issuer;
        if (installation is null || installation.App.AppId.ToString(CultureInfo.InvariantCulture) != appId) return Refusal(404, "Not Found", Docs);
        if (installation.Suspended) return Refusal(403, "This installation has been suspended", Docs);

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((_options.TimeProvider.GetUtcNow() + _options.InstallationTokenTtl).ToUnixTimeSeconds());
        var token = NewToken();
        _accounts.Issue(token, installation.Account, expiresAt);
        lock (_gate) installation.TokensIssued++;
        return (201, new JsonObject
        {
            ["token"] = token,
            ["expires_at"] = expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["permissions"] = new JsonObject { ["contents"] = "read", ["metadata"] = "read", ["pull_requests"] = "read" },
            ["repository_selection"] = installation.App.Repositories is null ? "all" : "selected",
        });
    }

    /// <summary>Null when the JWT is the App's and its times are right; else GitHub's refusal.</summary>
    private async Task<(int, JsonObject)?> VerifyAsync(string jwt)
    {
        var handler = new JsonWebTokenHandler();
        JsonWebToken token;
        try
        {
            token = handler.ReadJsonWebToken(jwt);
        }
        catch (ArgumentException)
        {
            return Refusal(401, "A JSON web token could not be decoded", "https://docs.github.com/rest");
        }
        // An unknown App id and a key that is not the App's get the same answer from GitHub (octokit/auth-app.js#375).
        if (!long.TryParse(token.Issuer, CultureInfo.InvariantCulture, out var appId) || !_keys.TryGetValue(appId, out var key))
            return Refusal(401, "A JSON web token could not be decoded", "https://docs.github.com/rest");
        var result = await handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        if (!result.IsValid) return Refusal(401, "A JSON web token could not be decoded", "https://docs.github.com/rest");

        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (!token.TryGetPayloadValue<long>("exp", out var exp) || exp <= now)
            return Refusal(401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.", "https://docs.github.com/rest");
        if (exp > now + (long)MaxJwtLifetime.TotalSeconds)
            return Refusal(401, "'Expiration time' claim ('exp') is too far in the future", "https://docs.github.com/rest");
        if (!token.TryGetPayloadValue<long>("iat", out var iat) || iat > now)
            return Refusal(401, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.", "https://docs.github.com/rest");
        return null;
    }

    private static (int, JsonObject) Refusal(int status, string message, string docs) =>
        (status, new JsonObject { ["message"] = message, ["documentation_url"] = docs, ["status"] = status.ToString(CultureInfo.InvariantCulture) });

    /// <summary>GitHub's newer, longer installation-token format (over 40 characters): clients must not assume a length.</summary>
    private static string NewToken() => "ghs_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 76);
}
