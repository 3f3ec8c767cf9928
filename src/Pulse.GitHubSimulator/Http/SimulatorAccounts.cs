namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// The tokens GitHub accepts right now and the account each acts for: <see cref="SimulatorOptions.Tokens"/> at
/// start, changed at runtime by tests (a token revoked mid-run, a new one issued). A revoked token gets exactly
/// the answer of a token GitHub never knew: 401 Bad credentials. Accounts are created on first sight of their
/// login and never forgotten, so a revoked and re-issued token of a user finds the user's spent budget.
/// </summary>
internal sealed class SimulatorAccounts
{
    /// <summary>The user id of GitHub's recorded RATE_LIMITED message (gitpod-io/gitpod#15377): the first user's.</summary>
    private const long FirstUserId = 1431904;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Account> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Account> _byLogin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _expiresAt = new(StringComparer.Ordinal);
    private readonly int _pointsPerHour;
    private readonly string _viewerLogin;
    private readonly TimeProvider _time;
    private int _bareUsers;

    /// <param name="viewerLogin">The viewer of bare tokens (each its own user): the first is served as it, the next as it-2, it-3…</param>
    public SimulatorAccounts(IEnumerable<string> entries, int pointsPerHour, string viewerLogin = "sim-user", TimeProvider? time = null)
    {
        _pointsPerHour = pointsPerHour;
        _viewerLogin = viewerLogin;
        _time = time ?? TimeProvider.System;
        foreach (var entry in entries) Add(TokenGrant.Parse(entry));
    }

    /// <summary>The account a token acts for, or null when GitHub does not know the token (or it has expired).</summary>
    public Account? Authenticate(string token)
    {
        lock (_gate)
        {
            if (_expiresAt.TryGetValue(token, out var expiresAt) && _time.GetUtcNow() >= expiresAt) return null;
            return _byToken.GetValueOrDefault(token);
        }
    }

    /// <summary>False when the token was not accepted anyway.</summary>
    public bool Revoke(string token)
    {
        lock (_gate) return _byToken.Remove(token);
    }

    /// <summary>Accepts <paramref name="token"/> for an installation's account until <paramref name="expiresAt"/>.</summary>
    public void Issue(string token, Account installation, DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            _byToken[token] = installation;
            _expiresAt[token] = expiresAt;
        }
    }

    /// <summary>False when the token was already accepted. Throws <see cref="ArgumentException"/> on an empty token or one with whitespace.</summary>
    public bool Add(string token, string? login = null)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Any(char.IsWhiteSpace) || (login is not null && (login.Length == 0 || login.Any(char.IsWhiteSpace))))
            throw new ArgumentException("A token must be non-empty and contain no whitespace.");
        return Add(new TokenGrant(login ?? token, token));
    }

    private bool Add(TokenGrant grant)
    {
        lock (_gate)
        {
            if (_byToken.ContainsKey(grant.Token)) return false;
            if (!_byLogin.TryGetValue(grant.Login, out var account))
                _byLogin[grant.Login] = account = new Account(AccountKind.User, grant.Login, FirstUserId + _byLogin.Count, _pointsPerHour)
                {
                    // A bare token is its own user, whose login is not the token: GitHub never shows a token as a login.
                    ViewerLogin = grant.Login != grant.Token ? grant.Login : ++_bareUsers == 1 ? _viewerLogin : $"{_viewerLogin}-{_bareUsers}",
                };
            _byToken[grant.Token] = account;
            return true;
        }
    }
}
