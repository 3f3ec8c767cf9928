namespace Pulse.Core.Storage;

public sealed record RepositoryRow(
    string NodeId, long? DatabaseId, string Owner, string Name, string? Description, bool IsPrivate, bool IsArchived, bool IsFork,
    string? DefaultBranch, string? Language, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, DateTimeOffset? PushedAt);

/// <summary>The repositories discovery found.</summary>
public interface IRepositoryStore
{
    Task UpsertAsync(long tenantId, long integrationId, IReadOnlyList<RepositoryRow> rows, CancellationToken ct);

    Task<IReadOnlyList<RepositoryRef>> ListActiveAsync(long tenantId, long integrationId, CancellationToken ct);

    /// <summary>
    /// Takes a repository GitHub no longer resolves out of later runs; its stored rows stay.
    /// Discovery listing it again makes it active again.
    /// </summary>
    Task DeactivateAsync(long tenantId, long repositoryId, CancellationToken ct);
}
