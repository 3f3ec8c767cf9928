using Pulse.Core.Jobs;

namespace Pulse.Core.Extract;

/// <summary>What one answer means for the checkpoints: each unit's advance, and the new work it reveals.</summary>
public sealed record PageOutcome(
    IReadOnlyList<CheckpointAdvance> Advances,
    IReadOnlyList<NewCheckpoint> NewCheckpoints,
    IReadOnlyList<RawUnit> Units,
    /// <summary>Items GitHub reports per step (totalCount), added to the run's progress totals.</summary>
    IReadOnlyDictionary<string, long> StepTotals,
    IReadOnlyList<string> Errors)
{
    /// <summary>Repositories GitHub answered NOT_FOUND for: deactivated once the page is stored.</summary>
    public IReadOnlyList<long> MissingRepositories { get; init; } = [];

    /// <summary>
    /// Checkpoints GitHub left unanswered when the query hit its resource limits (RESOURCE_LIMITS_EXCEEDED): no attempt of
    /// theirs failed, they go back as they were, for a smaller query.
    /// </summary>
    public IReadOnlyList<FetchUnit> Deferred { get; init; } = [];

    /// <summary>True when GitHub stopped the query at its resource limits and answered only part of it.</summary>
    public bool ResourceLimited { get; init; }

    /// <summary>Steps with data in this answer: each gets one transform work item.</summary>
    public IEnumerable<PipelineStep> StepsWithData =>
        Units.Where(u => u.Ok && u.Kind != FetchKind.RepositoryHead).Select(u => FetchKinds.StepOf(u.Kind)).Distinct().OrderBy(s => s.Order);
}

/// <summary>
/// A checkpoint after its page: the next cursor, or Done. <see cref="Failed"/> means GitHub
/// answered this alias with an error: the cursor stays and the attempt counts.
/// </summary>
public sealed record CheckpointAdvance(long CheckpointId, string? Cursor, bool Done, long ItemsFetched, long Remaining, bool Failed, string? Error)
{
    /// <summary>The page width for the next page: a width that had to shrink grows back after a success.</summary>
    public int? PageSize { get; init; }
}

public sealed record NewCheckpoint(
    long RepositoryId, FetchKind Kind, string ParentNodeId, string? PullRequestNodeId, string? Cursor, long Remaining, DateTimeOffset? Since)
{
    /// <summary>For a PR asked by node id: the commits Pulse held of it (<see cref="Extract.HeldCommits"/>), else null.</summary>
    public HeldCommits? HeldCommits { get; init; }
}
