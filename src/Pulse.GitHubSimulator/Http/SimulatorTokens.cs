namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// The tokens GitHub accepts right now: <see cref="SimulatorOptions.Tokens"/> at start, changed at
/// runtime by tests (a token revoked mid-run, a new one issued). A revoked token gets exactly the
/// answer of a token GitHub never knew: 401 Bad credentials.
/// </summary>
internal sealed class SimulatorTokens(IEnumerable<string> initial)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _accepted = new(initial, StringComparer.Ordinal);

    public bool Accepts(string token)
    {
        lock (_gate) return _accepted.Contains(token);
    }

    /// <summary>False when the token was not accepted anyway.</summary>
    public bool Revoke(string token)
    {
        lock (_gate) return _accepted.Remove(token);
    }

    /// <summary>False when the token was already accepted. Throws <see cref="ArgumentException"/> on an empty token or one with whitespace.</summary>
    public bool Add(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Any(char.IsWhiteSpace))
            throw new ArgumentException("A token must be non-empty and contain no whitespace.");
        lock (_gate) return _accepted.Add(token);
    }
}
