namespace Pulse.Core.GitHub;

/// <summary>A client and the budget of its token, for one integration.</summary>
public sealed record GitHubConnection(GitHubGraphQLClient Client, IRateLimitBudget Budget);

/// <summary>Gives the extraction stage the connection of a run's integration (decrypting its token on the way).</summary>
public interface IGitHubConnections
{
    Task<GitHubConnection> ForIntegrationAsync(long tenantId, long integrationId, CancellationToken ct);
}
