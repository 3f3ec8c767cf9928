using System.Collections.Concurrent;
using Pulse.Core.GitHub;
using Pulse.Core.Sync;

namespace Pulse.Server.Metrics;

/// <summary>The process's GitHub connections, remembered per integration so the dashboard and /metrics can show each account's budget (never a token).</summary>
public sealed class MeteredConnections(GitHubConnections inner) : IGitHubConnections
{
    private readonly ConcurrentDictionary<long, GitHubConnection> _byIntegration = new();

    public async Task<GitHubConnection> ForIntegrationAsync(long tenantId, long integrationId, CancellationToken ct)
    {
        var connection = await inner.ForIntegrationAsync(tenantId, integrationId, ct);
        _byIntegration[integrationId] = connection;
        return connection;
    }

    public void Forget(long integrationId)
    {
        inner.Forget(integrationId);
        _byIntegration.TryRemove(integrationId, out _);
    }

    /// <summary>The accounts of the integration as this process last used them; empty before its first query here.</summary>
    public IReadOnlyList<GitHubAccount> Accounts(long integrationId) =>
        _byIntegration.TryGetValue(integrationId, out var connection) ? connection.Accounts : [];

    /// <summary>Every account this process spends, with its integration, for the gauges.</summary>
    public IEnumerable<(long IntegrationId, GitHubAccount Account)> All() =>
        _byIntegration.SelectMany(c => c.Value.Accounts.Select(a => (c.Key, a)));
}
