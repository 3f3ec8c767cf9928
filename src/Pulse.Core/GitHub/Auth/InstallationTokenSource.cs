using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Core.Storage;

namespace Pulse.Core.GitHub.Auth;

/// <summary>
/// An App installation's token, shared by every worker: exchanged for the App's JWT at
/// <c>POST {rest}/app/installations/{id}/access_tokens</c>, kept (protected) in <see cref="IInstallationTokenStore"/> when
/// one is given, and refreshed <see cref="RefreshMargin"/> before it expires, so no request is ever sent with a token
/// about to lapse. A token GitHub refuses early is replaced once.
/// </summary>
public sealed class InstallationTokenSource(HttpClient http, GitHubEndpoints endpoints, GitHubAppCredentials app, TimeProvider time,
    IInstallationTokenStore? store = null) : IGitHubTokenSource, IDisposable
{
    /// <summary>A token is replaced when it has less than this left (GitHub's tokens live an hour).</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly RSA _key = GitHubAppCredentials.LoadKey(app.PrivateKeyPem);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private InstallationToken? _current;

    /// <summary>Names the installation in the shared store: host and ids, nothing secret.</summary>
    public string Key { get; } = $"{endpoints.Rest.Host}/app/{app.AppId}/installation/{app.InstallationId}";

    /// <summary>How many tokens this process obtained from GitHub (the store's are not counted).</summary>
    public int Exchanges { get; private set; }

    public async ValueTask<string> GetAsync(CancellationToken ct)
    {
        if (Fresh(_current) is { } current) return current.Token;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh(_current) is { } again) return again.Token;
            _current = await ObtainAsync(rejected: null, ct);
            return _current.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<bool> RenewAfterRejectionAsync(string rejected, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            // Another worker replaced it meanwhile: its token is the one to try.
            if (_current is { } current && current.Token != rejected && Fresh(current) is not null) return true;
            _current = await ObtainAsync(rejected, ct);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The stored token while it is fresh and not <paramref name="rejected"/> (read without a lock: the common case), else the
    /// store's next one, minted by whichever process holds the installation's row first; without a store, minted here.
    /// </summary>
    private async Task<InstallationToken> ObtainAsync(string? rejected, CancellationToken ct)
    {
        if (store is null) return await ExchangeAsync(ct);
        if (Fresh(await store.GetAsync(Key, ct)) is { } stored && stored.Token != rejected) return stored;
        return await store.GetOrMintAsync(Key, time.GetUtcNow() + RefreshMargin, rejected, ExchangeAsync, ct);
    }

    private InstallationToken? Fresh(InstallationToken? token) => token is not null && token.ExpiresAt - time.GetUtcNow() > RefreshMargin ? token : null;

    private async Task<InstallationToken> ExchangeAsync(CancellationToken ct)
    {
        var jwt = AppJwt.Mint(app.AppId, _key, time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri(endpoints.Rest, $"app/installations/{app.InstallationId.ToString(CultureInfo.InvariantCulture)}/access_tokens"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("pulse-etl/1.0");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");

        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(request, ct);
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubTransientException("reset", $"Connection to {endpoints.Rest.Host} failed while getting an installation token: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Created || response.StatusCode == HttpStatusCode.OK) return Minted(Read(body));
            throw Refusal(response.StatusCode, MessageOf(body));
        }
    }

    private InstallationToken Minted(InstallationToken token)
    {
        Exchanges++;
        return token;
    }

    private static InstallationToken Read(string body)
    {
        var json = JsonNode.Parse(body) as JsonObject;
        // Never assume the token's length or shape (GitHub is rolling out longer ghs_ tokens): only that there is one.
        if (json?["token"] is not JsonValue token || token.GetValueKind() != JsonValueKind.String || json["expires_at"] is not JsonValue expires
            || !DateTimeOffset.TryParse(expires.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt))
            throw new GitHubTransientException("malformed", "GitHub's installation token answer has no token or expires_at.");
        return new InstallationToken(token.GetValue<string>(), expiresAt);
    }

    /// <summary>One line per cause GitHub names: a JWT it cannot verify (wrong App id or key), no such installation, a suspension.</summary>
    private GitHubException Refusal(HttpStatusCode status, string message)
    {
        var code = (int)status;
        return status switch
        {
            HttpStatusCode.Unauthorized => new GitHubAuthException(
                $"GitHub refused the JWT of GitHub App {app.AppId} (401 {message}): the App id does not match the private key, or the key was revoked."),
            HttpStatusCode.NotFound => new GitHubAuthException(
                $"GitHub App {app.AppId} has no installation {app.InstallationId} (404 {message}): check the installation id."),
            HttpStatusCode.Forbidden when message.Contains("suspended", StringComparison.OrdinalIgnoreCase) => new GitHubAuthException(
                $"GitHub App {app.AppId}'s installation {app.InstallationId} is suspended (403 {message}): an owner of the organisation must unsuspend it."),
            HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity => new GitHubAuthException(
                $"GitHub refused an installation token for GitHub App {app.AppId}, installation {app.InstallationId} ({code} {message})."),
            _ => new GitHubTransientException(code.ToString(CultureInfo.InvariantCulture), $"GitHub answered {code} to the installation token request: {message}"),
        };
    }

    private static string MessageOf(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"]?.ToString() ?? body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] + "…" : body;
        }
    }

    public void Dispose()
    {
        _key.Dispose();
        _gate.Dispose();
    }
}
