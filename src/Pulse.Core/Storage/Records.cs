namespace Pulse.Core.Storage;

public sealed record Tenant(long Id, string Name);

/// <summary>A GitHub integration. The token is never here in clear: only its protected form.</summary>
public sealed record Integration(
    long Id,
    long TenantId,
    string Provider,
    Uri GraphQLUrl,
    string Owner,
    string ProtectedToken,
    IntegrationSettings Settings,
    bool Active);

/// <summary>Per-integration settings: which repositories to take and how far back the first sync goes.</summary>
public sealed record IntegrationSettings
{
    /// <summary>Repository names to take; empty takes all. An entry ending in '*' is a prefix.</summary>
    public IReadOnlyList<string> RepositoryFilters { get; init; } = [];

    /// <summary>Pull requests per listing page, 1..100. Default 100.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>How far back a first sync goes; null = the whole history.</summary>
    public TimeSpan? FirstSyncWindow { get; init; }

    public bool Includes(string repositoryName) =>
        RepositoryFilters.Count == 0 || RepositoryFilters.Any(f => f.EndsWith('*')
            ? repositoryName.StartsWith(f[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(repositoryName, f, StringComparison.OrdinalIgnoreCase));
}

public sealed record RepositoryRef(long Id, string NodeId, string Owner, string Name);

public sealed record JobRecord(
    long Id,
    long TenantId,
    long IntegrationId,
    string JobName,
    string Overall,
    bool Active,
    TimeSpan ScheduleInterval,
    TimeSpan RetryInterval,
    DateTimeOffset? LastSyncDate,
    DateTimeOffset? LastRunStartedAt,
    DateTimeOffset? LastRunFinishedAt,
    DateTimeOffset? NextRun,
    string? Error,
    int RetryCount,
    long? CurrentRunId);

public sealed record RunRecord(
    long Id,
    long TenantId,
    long JobId,
    long IntegrationId,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? Since,
    bool EmbeddingsEnabled,
    string? Error);
