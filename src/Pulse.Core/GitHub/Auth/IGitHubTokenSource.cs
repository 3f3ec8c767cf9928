namespace Pulse.Core.GitHub.Auth;

/// <summary>Gives the token a request is sent with: a personal token as it is, or an App installation's, refreshed before it expires.</summary>
public interface IGitHubTokenSource
{
    ValueTask<string> GetAsync(CancellationToken ct);

    /// <summary>
    /// GitHub answered 401 to <paramref name="rejected"/>: true when a fresh token replaces it (the request is sent once
    /// more), false when there is none to be had (a personal token is what it is).
    /// </summary>
    ValueTask<bool> RenewAfterRejectionAsync(string rejected, CancellationToken ct);
}

/// <summary>A personal token: never renewed.</summary>
public sealed class PersonalToken(string token) : IGitHubTokenSource
{
    public ValueTask<string> GetAsync(CancellationToken ct) => ValueTask.FromResult(token);

    public ValueTask<bool> RenewAfterRejectionAsync(string rejected, CancellationToken ct) => ValueTask.FromResult(false);
}

/// <summary>An installation token and when GitHub lets it expire (about an hour after it was issued).</summary>
public sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"installation token expiring {ExpiresAt:O}";
}
