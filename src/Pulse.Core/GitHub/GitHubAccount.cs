using System.Text.Json.Nodes;

namespace Pulse.Core.GitHub;

/// <summary>
/// What GitHub keeps one budget for: a user (all its personal tokens share it) or an App installation. Its name is what
/// the dashboard and /metrics show (the user's login, or "installation N"), never a token.
/// </summary>
public sealed class GitHubAccount(string name, IRateLimitBudget budget, IReadOnlyList<GitHubGraphQLClient> clients)
{
    private readonly Lock _gate = new();
    private readonly string?[] _setAside = new string?[clients.Count];
    private int _turn;

    public string Name { get; } = name;
    public IRateLimitBudget Budget { get; } = budget;
    public int TokenCount => clients.Count;

    /// <summary>Null until GitHub answered; false when it answered without a rate limit (Enterprise Server with rate limiting off).</summary>
    public bool? RateLimitEnforced { get; private set; }

    public bool IsActive
    {
        get { lock (_gate) return _setAside.Any(r => r is null); }
    }

    public int ActiveTokens
    {
        get { lock (_gate) return _setAside.Count(r => r is null); }
    }

    /// <summary>"active", or "revoked" when GitHub refused every one of its tokens.</summary>
    public string Status => IsActive ? "active" : "revoked";

    /// <summary>Why its last token was set aside (GitHub's answer, never the token).</summary>
    public string? SetAsideReason
    {
        get { lock (_gate) return _setAside.LastOrDefault(r => r is not null); }
    }

    /// <summary>Points left above the reserve now: the most when GitHub has not said (rate limiting off, or not asked yet).</summary>
    public int Headroom() => Budget.Headroom ?? int.MaxValue;

    internal GitHubLane NextLane(GitHubConnection connection)
    {
        lock (_gate)
        {
            for (var i = 0; i < clients.Count; i++)
            {
                var index = (_turn + i) % clients.Count;
                if (_setAside[index] is not null) continue;
                _turn = index + 1;
                return new GitHubLane(this, index);
            }
        }
        // Set aside between the connection's choice and here: the connection picks again.
        return connection.Pick();
    }

    internal async Task<GraphQLResponse> SendAsync(int index, string query, JsonObject variables, CancellationToken ct)
    {
        try
        {
            var response = await clients[index].SendAsync(query, variables, ct);
            if (response.RateLimit is { } info) Budget.Observe(info);
            RateLimitEnforced = response.RateLimit is not null;
            return response;
        }
        catch (GitHubRateLimitedException e)
        {
            RateLimitEnforced = true;
            Budget.Exhausted(e.ResetAt);
            throw;
        }
        catch (GitHubAuthException e)
        {
            lock (_gate) _setAside[index] = e.Message;
            throw;
        }
    }

    /// <summary>Sets a token aside before any query (its viewer lookup was refused).</summary>
    internal void SetAside(int index, string reason)
    {
        lock (_gate) _setAside[index] = reason;
    }
}

/// <summary>One query's way out: an account and which of its tokens to send with.</summary>
public sealed class GitHubLane
{
    private readonly int _index;

    internal GitHubLane(GitHubAccount account, int index)
    {
        Account = account;
        _index = index;
    }

    public GitHubAccount Account { get; }
    public IRateLimitBudget Budget => Account.Budget;

    /// <summary>
    /// Sends the query and records the budget GitHub reports. A token GitHub refuses is set aside; the caller learns it by a
    /// <see cref="GitHubTokenSetAsideException"/> when other tokens remain (send again on a fresh <see cref="GitHubConnection.Pick"/>),
    /// by the <see cref="GitHubAuthException"/> when none does.
    /// </summary>
    public async Task<GraphQLResponse> SendAsync(GitHubConnection connection, string query, JsonObject variables, CancellationToken ct)
    {
        try
        {
            return await Account.SendAsync(_index, query, variables, ct);
        }
        catch (GitHubAuthException e) when (connection.Accounts.Any(a => a.IsActive))
        {
            throw new GitHubTokenSetAsideException($"A token of {Account.Name} was set aside: {e.Message}");
        }
        catch (GitHubAuthException) when (connection.Accounts.Sum(a => a.TokenCount) > 1)
        {
            // The pool's last token: the failure names every account and why it was set aside.
            throw new GitHubAuthException(connection.AllRefused());
        }
    }
}
