namespace Pulse.Core.Extract;

/// <summary>Knobs of the extraction stage; defaults follow GitHub's documented limits.</summary>
public sealed record ExtractOptions
{
    /// <summary>Pull requests per listing page (GitHub's maximum is 100). Default 100.</summary>
    public int PullRequestPageSize { get; init; } = 100;

    /// <summary>Requests packed into one query. 149 is the most that still rounds to one point. Default 149.</summary>
    public int MaxRequestsPerQuery { get; init; } = CostRule.MaxRequestsForOnePoint;

    /// <summary>Expected items per query at start, and its bounds; see <see cref="AdaptiveLoad"/>.</summary>
    public long InitialItemsPerQuery { get; init; } = 800;
    public long MinItemsPerQuery { get; init; } = 20;
    public long MaxItemsPerQuery { get; init; } = 2_000;

    /// <summary>Failed attempts of one checkpoint before its failure is recorded and the run goes on. Default 8.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Checkpoints one worker claims at a time (the planner keeps those that fit). Default 200.</summary>
    public int ClaimBatch { get; init; } = 200;

    /// <summary>How long a claim lasts before another worker may take the checkpoint over. Default 2 min.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Subtracted from the last sync date: edits in flight and clock skew. Default 2 min.</summary>
    public TimeSpan IncrementalOverlap { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>First delay of the retry back-off (doubles, with jitter, up to <see cref="MaxBackoff"/>). Default 0.5 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
