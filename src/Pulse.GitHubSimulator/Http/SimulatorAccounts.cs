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
    private readonly int _pointsPerHour;

    public SimulatorAccounts(IEnumerable<string> entries, int pointsPerHour)
    {
        _pointsPerHour = pointsPerHour;
        foreach (var entry in entries) Add(TokenGrant.Parse(entry));
    }

    /// <summary>The account a token acts for, or null when GitHub does not know the token.</summary>
    public Account? Authenticate(string token)
    {
        lock (_gate) return _byToken.GetValueOrDefault(token);
    }

    /// <summary>False when the token was not accepted anyway.</summary>
    public bool Revoke(string token)
    {
        lock (_gate) return _byToken.Remove(token);
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
                _byLogin[grant.Login] = account = new Account(AccountKind.User, grant.Login, FirstUserId + _byLogin.Count, _pointsPerHour);
            _byToken[grant.Token] = account;
            return true;
        }
    }
}
