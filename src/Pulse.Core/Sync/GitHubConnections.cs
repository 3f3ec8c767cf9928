using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Pulse.Core.GitHub;
using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>One client per integration and one budget per token (hashed), shared by every worker of this process.</summary>
/// <remarks>Distributed mode passes <paramref name="budgetFactory"/> (token hash → budget) so every process shares one budget per token.</remarks>
public sealed class GitHubConnections(IIntegrationStore integrations, ISecretProtector secrets, HttpClient http, TimeProvider time, RateLimitBudgetOptions budgetOptions,
    Func<string, IRateLimitBudget>? budgetFactory = null) : IGitHubConnections
{
    private readonly ConcurrentDictionary<long, GitHubConnection> _byIntegration = new();
    private readonly ConcurrentDictionary<string, IRateLimitBudget> _byToken = new();

    public async Task<GitHubConnection> ForIntegrationAsync(long tenantId, long integrationId, CancellationToken ct)
    {
        if (_byIntegration.TryGetValue(integrationId, out var existing)) return existing;
        var integration = await integrations.GetAsync(tenantId, integrationId, ct)
            ?? throw new InvalidOperationException($"Integration {integrationId} does not exist.");
        var token = secrets.Unprotect(integration.ProtectedToken);
        var budget = _byToken.GetOrAdd(TokenKey(token), key => budgetFactory?.Invoke(key) ?? new InMemoryRateLimitBudget(time, budgetOptions));
        return _byIntegration.GetOrAdd(integrationId, _ => new GitHubConnection(new GitHubGraphQLClient(http, integration.GraphQLUrl, token), budget));
    }

    /// <summary>Forgets a connection, e.g. after its token was replaced.</summary>
    public void Forget(long integrationId) => _byIntegration.TryRemove(integrationId, out _);

    private static string TokenKey(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
