namespace Pulse.Core.Storage;

/// <summary>The repositories discovery found.</summary>
public interface IRepositoryStore
{
    Task UpsertAsync(long tenantId, long integrationId, IReadOnlyList<RepositoryRow> rows, CancellationToken ct);

    /// <summary>The integration's active repositories, by full name (ordinal).</summary>
    Task<IReadOnlyList<RepositoryRef>> ListActiveAsync(long tenantId, long integrationId, CancellationToken ct);

    /// <summary>
    /// Takes a repository GitHub no longer resolves out of later runs; its stored rows stay.
    /// Discovery listing it again makes it active again.
    /// </summary>
    Task DeactivateAsync(long tenantId, long repositoryId, CancellationToken ct);

    /// <summary>Every repository of the tenant with how many PRs are stored for it, as the API lists them.</summary>
    Task<IReadOnlyList<RepositorySummary>> ListAsync(long tenantId, CancellationToken ct);
}
