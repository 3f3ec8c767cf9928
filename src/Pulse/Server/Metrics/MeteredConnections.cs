using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Pulse.Core.GitHub;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.Server.Metrics;

/// <summary>The process's GitHub connections, remembering each token's budget (by a hash prefix, never the token) for the metrics.</summary>
public sealed class MeteredConnections(GitHubConnections inner, IIntegrationStore integrations, ISecretProtector secrets) : IGitHubConnections
{
    private readonly ConcurrentDictionary<string, IRateLimitBudget> _budgets = new();

    public async Task<GitHubConnection> ForIntegrationAsync(long tenantId, long integrationId, CancellationToken ct)
    {
        var connection = await inner.ForIntegrationAsync(tenantId, integrationId, ct);
        if (!_budgets.Values.Contains(connection.Budget) && await integrations.GetAsync(tenantId, integrationId, ct) is { } integration)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secrets.Unprotect(integration.ProtectedToken))));
            _budgets[hash[..8]] = connection.Budget;
        }
        return connection;
    }

    public void Forget(long integrationId) => inner.Forget(integrationId);

    public IEnumerable<(string Token, RateLimitInfo Info)> Budgets() =>
        _budgets.Select(b => (b.Key, b.Value.Current)).Where(b => b.Current is not null).Select(b => (b.Key, b.Current!));
}
