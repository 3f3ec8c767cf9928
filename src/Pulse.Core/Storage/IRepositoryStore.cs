namespace Pulse.Core.Storage;

public sealed record RepositoryRow(
    string NodeId, long? DatabaseId, string Owner, string Name, string? Description, bool IsPrivate, bool IsArchived, bool IsFork,
    string? DefaultBranch, string? Language, DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt, DateTimeOffset? PushedAt);

/// <summary>The repositories discovery found.</summary>
public interface IRepositoryStore
{
    Task UpsertAsync(long tenantId, long integrationId, IReadOnlyList<RepositoryRow> rows, CancellationToken ct);

    Task<IReadOnlyList<RepositoryRef>> ListActiveAsync(long tenantId, long integrationId, CancellationToken ct);
}
