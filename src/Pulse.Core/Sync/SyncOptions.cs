namespace Pulse.Core.Sync;

/// <summary>What one <c>pulse sync</c> does.</summary>
public sealed record SyncOptions
{
    public required Uri GraphQLUrl { get; init; }
    public required string Owner { get; init; }
    /// <summary>How the sync signs in to GitHub: personal tokens or an App installation.</summary>
    public GitHub.Auth.GitHubCredentials Credentials
    {
        get => _credentials ?? throw new InvalidOperationException("A sync needs Credentials (or Token).");
        init => _credentials = value;
    }

    private readonly GitHub.Auth.GitHubCredentials? _credentials;

    /// <summary>Shorthand for <see cref="Credentials"/> of one personal token.</summary>
    public string Token
    {
        init => Credentials = GitHub.Auth.GitHubCredentials.FromTokens([value]);
    }
    public string TenantName { get; init; } = "default";
    public IReadOnlyList<string> Repositories { get; init; } = [];

    /// <summary>Overrides the incremental window: only PRs updated since then.</summary>
    public DateTimeOffset? Since { get; init; }
    public bool Embeddings { get; init; } = true;

    public int ExtractWorkers { get; init; } = 2;
    public int TransformWorkers { get; init; } = 2;
    public int EmbedWorkers { get; init; } = 1;

    /// <summary>How often progress is reported. Default 1 s.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>With a shared queue: how long the database may show no progress before open work is queued again. Default 30 s.</summary>
    public TimeSpan QuietTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>How a sync ended.</summary>
public sealed record SyncResult(bool Succeeded, long RunId, string? Error, int Repositories);
