using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.Core.GitHub;
using Pulse.Core.GitHub.Auth;
using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// One connection per integration, one budget per GitHub account and one token source per App installation, shared by
/// every worker of this process. Distributed mode passes <paramref name="budgetFactory"/> (account key hash → budget) so every
/// process shares one budget per account; <paramref name="installationTokens"/> (the database's) makes every process share one
/// token per installation, minted by one of them per expiry.
/// </summary>
public sealed class GitHubConnections(IIntegrationStore integrations, ISecretProtector secrets, HttpClient http, TimeProvider time, RateLimitBudgetOptions budgetOptions,
    Func<string, IRateLimitBudget>? budgetFactory = null, IInstallationTokenStore? installationTokens = null) : IGitHubConnections
{
    private const string ViewerQuery = "query Viewer { viewer { login } }";
    private readonly ConcurrentDictionary<long, GitHubConnection> _byIntegration = new();
    private readonly ConcurrentDictionary<string, IRateLimitBudget> _byAccount = new();
    private readonly ConcurrentDictionary<string, InstallationTokenSource> _installations = new();

    public async Task<GitHubConnection> ForIntegrationAsync(long tenantId, long integrationId, CancellationToken ct)
    {
        // A connection whose every token was refused is built again: the tokens may have been fixed meanwhile.
        if (_byIntegration.TryGetValue(integrationId, out var existing) && existing.Accounts.Any(a => a.IsActive)) return existing;
        var integration = await integrations.GetAsync(tenantId, integrationId, ct)
            ?? throw new InvalidOperationException($"Integration {integrationId} does not exist.");
        var credentials = GitHubCredentials.Deserialize(secrets.Unprotect(integration.ProtectedToken));
        var endpoints = GitHubEndpoints.ForGraphQL(integration.GraphQLUrl);
        var connection = credentials.App is { } app ? new GitHubConnection([Installation(endpoints, app)])
            : new GitHubConnection(await PoolAsync(endpoints, credentials.Tokens, ct));
        _byIntegration[integrationId] = connection;
        return connection;
    }

    /// <summary>How many installation tokens this process obtained from GitHub (those read from the store are not counted).</summary>
    public int InstallationExchanges => _installations.Values.Sum(s => s.Exchanges);

    /// <summary>Forgets a connection, e.g. after its credentials were replaced.</summary>
    public void Forget(long integrationId) => _byIntegration.TryRemove(integrationId, out _);

    private GitHubAccount Installation(GitHubEndpoints endpoints, GitHubAppCredentials app)
    {
        var source = _installations.GetOrAdd($"{endpoints.Rest}|{app.AppId}|{app.InstallationId}|{Hash(app.PrivateKeyPem)}",
            _ => new InstallationTokenSource(http, endpoints, app, time, installationTokens));
        return new GitHubAccount($"installation {app.InstallationId}", Budget(source.Key), [new GitHubGraphQLClient(http, endpoints.GraphQL, source)]);
    }

    /// <summary>
    /// Personal tokens grouped by the user they act for (GitHub's <c>viewer</c>): that user's tokens share one budget. A pool of
    /// one needs no grouping and is not asked (its budget is keyed by the token's hash, as it always was).
    /// </summary>
    private async Task<IReadOnlyList<GitHubAccount>> PoolAsync(GitHubEndpoints endpoints, IReadOnlyList<string> tokens, CancellationToken ct)
    {
        if (tokens.Count == 1) return [new GitHubAccount("token", Budget(tokens[0]), [new GitHubGraphQLClient(http, endpoints.GraphQL, tokens[0])])];
        var byLogin = new Dictionary<string, List<(GitHubGraphQLClient Client, RateLimitInfo? Info)>>(StringComparer.OrdinalIgnoreCase);
        var refused = new List<(int Position, GitHubGraphQLClient Client, string Reason)>();
        foreach (var (token, position) in tokens.Select((t, i) => (t, i + 1)))
        {
            var client = new GitHubGraphQLClient(http, endpoints.GraphQL, token);
            try
            {
                using var answer = await client.SendAsync(ViewerQuery, new JsonObject(), ct);
                var login = answer.Data.GetProperty("viewer").GetProperty("login").GetString() ?? throw new GitHubQueryException("GitHub named no viewer.");
                if (!byLogin.TryGetValue(login, out var list)) byLogin[login] = list = [];
                list.Add((client, answer.RateLimit));
            }
            catch (GitHubAuthException e)
            {
                refused.Add((position, client, e.Message));
            }
        }
        var accounts = byLogin.Select(g =>
        {
            var account = new GitHubAccount(g.Key, Budget($"{endpoints.GraphQL.Host}/user/{g.Key.ToLowerInvariant()}"), [.. g.Value.Select(v => v.Client)]);
            // The lookup's own answer tells the budget where it stands (the last one is the most recent).
            if (g.Value.Select(v => v.Info).LastOrDefault(i => i is not null) is { } info) account.Budget.Observe(info);
            return account;
        }).ToList();
        // A token refused from the start has no user to name: it shows as its position in the pool, set aside.
        foreach (var (position, client, reason) in refused)
        {
            var account = new GitHubAccount($"token {position} of {tokens.Count}", new InMemoryRateLimitBudget(time, budgetOptions), [client]);
            account.SetAside(0, reason);
            accounts.Add(account);
        }
        return accounts;
    }

    private IRateLimitBudget Budget(string key) =>
        _byAccount.GetOrAdd(Hash(key), hash => budgetFactory?.Invoke(hash) ?? new InMemoryRateLimitBudget(time, budgetOptions));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
