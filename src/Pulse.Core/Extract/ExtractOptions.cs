namespace Pulse.Core.Extract;

/// <summary>Knobs of the extraction stage; defaults follow GitHub's documented limits.</summary>
public sealed record ExtractOptions
{
    /// <summary>The widest listing page, in pull requests (GitHub's maximum is 100); the work budget may make it narrower. Default 100.</summary>
    public int PullRequestPageSize { get; init; } = 100;

    /// <summary>Requests packed into one query. 149 is the most that still rounds to one point. Default 149.</summary>
    public int MaxRequestsPerQuery { get; init; } = CostRule.MaxRequestsForOnePoint;

    /// <summary>
    /// The work one query may ask for at start, in the heaviest items (commits; lighter kinds get as many more as they
    /// weigh less): conservative, so the first queries go through on a slow GitHub; see <see cref="WorkBudgets"/>. Default 400.
    /// </summary>
    public long InitialItemsPerQuery { get; init; } = 400;

    /// <summary>The least work a query is planned for, in the heaviest items, however often GitHub stopped them. Default 10.</summary>
    public long MinItemsPerQuery { get; init; } = 10;

    /// <summary>The most work a query is planned for, in the heaviest items. Default 20,000.</summary>
    public long MaxItemsPerQuery { get; init; } = 20_000;

    /// <summary>How much a kind's budget grows after a query it filled went through, at full share (0.25 = 25%). Default 0.25.</summary>
    public double BudgetGrowth { get; init; } = 0.25;

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
