namespace Pulse.Core.GitHub;

/// <summary>
/// An integration's way into GitHub: the accounts whose budgets it spends (one per GitHub user of its personal tokens,
/// or its App installation), each with the tokens that spend it. <see cref="Pick"/> gives every query to the account
/// with the most budget left; a token GitHub refuses is set aside while the others go on.
/// </summary>
public sealed class GitHubConnection
{
    private readonly Lock _gate = new();
    private int _turn;

    public GitHubConnection(IReadOnlyList<GitHubAccount> accounts)
    {
        if (accounts.Count == 0) throw new ArgumentException("A connection needs at least one account.", nameof(accounts));
        Accounts = accounts;
    }

    public IReadOnlyList<GitHubAccount> Accounts { get; }

    /// <summary>
    /// The account with the most points left above its reserve (one not heard from yet counts as full, so each is asked
    /// once), taking turns among equals; when every one is spent, the one whose window resets first, whose budget then
    /// waits. Throws <see cref="GitHubAuthException"/> when GitHub refused every token.
    /// </summary>
    public GitHubLane Pick()
    {
        lock (_gate)
        {
            var live = Accounts.Where(a => a.IsActive).ToList();
            if (live.Count == 0) throw new GitHubAuthException(AllRefused());
            _turn++;
            var ranked = live.Select((a, i) => (Account: a, Headroom: a.Headroom(), Order: (i + _turn) % live.Count)).ToList();
            var usable = ranked.Where(r => r.Headroom > 0).ToList();
            var chosen = usable.Count > 0
                ? usable.OrderByDescending(r => r.Headroom).ThenBy(r => r.Order).First().Account
                : ranked.OrderBy(r => r.Account.Budget.Current?.ResetAt ?? DateTimeOffset.MinValue).First().Account;
            return chosen.NextLane(this);
        }
    }

    /// <summary>Why no token is left: a lone token's own refusal, or each account's.</summary>
    internal string AllRefused() =>
        Accounts.Count == 1 && Accounts[0].TokenCount == 1 && Accounts[0].SetAsideReason is { } reason ? reason
        : $"GitHub refused every token of the integration: update its tokens and run again ({string.Join("; ", Accounts.Select(a => $"{a.Name}: {a.SetAsideReason}"))}).";

    /// <summary>The summed view of the enforced budgets (for one progress line); null while none answered with one.</summary>
    public RateLimitInfo? Combined
    {
        get
        {
            var known = Accounts.Where(a => a.IsActive).Select(a => a.Budget.Current).OfType<RateLimitInfo>().ToList();
            return known.Count == 0 ? null
                : new RateLimitInfo(known.Sum(k => k.Limit), known.Sum(k => k.Remaining), known.Sum(k => k.Used), known.Min(k => k.ResetAt));
        }
    }

    /// <summary>True once GitHub answered without any rate limit (Enterprise Server with rate limiting off).</summary>
    public bool RateLimitNotEnforced => Accounts.Any(a => a.RateLimitEnforced == false);
}

/// <summary>Gives the extraction stage the connection of a run's integration (decrypting its credentials on the way).</summary>
public interface IGitHubConnections
{
    Task<GitHubConnection> ForIntegrationAsync(long tenantId, long integrationId, CancellationToken ct);
}
