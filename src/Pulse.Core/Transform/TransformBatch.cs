using Pulse.Core.Storage;
namespace Pulse.Core.Transform;

/// <summary>Everything one transform work item writes, in one transaction.</summary>
public sealed record TransformBatch(
    long WorkItemId,
    long RunId,
    long TenantId,
    string Step,
    IReadOnlyList<PullRequestRow> PullRequests,
    IReadOnlyList<CommitRow> Commits,
    IReadOnlyList<ReviewRow> Reviews,
    IReadOnlyList<ReviewThreadRow> Threads,
    IReadOnlyList<CommentRow> Comments,
    bool CreateEmbeddingWork)
{
    /// <summary>PR rows that came with a page of the PR's events or labels (<see cref="StepRows.ParentPrs"/>): upserted, not counted.</summary>
    public IReadOnlyList<PullRequestRow> ParentPullRequests { get; init; } = [];

    public IReadOnlyList<TimelineEventRow> TimelineEvents { get; init; } = [];

    public IReadOnlyList<LabelRow> Labels { get; init; } = [];

    /// <summary>PRs whose commits are unchanged since Pulse fetched them (<see cref="StepRows.KeptCommits"/>): their rows are marked seen.</summary>
    public IReadOnlyList<string> KeptCommits { get; init; } = [];

    /// <summary>Items this batch adds to its step's progress.</summary>
    public long ItemCount => PullRequests.Count + Commits.Count + Reviews.Count + Comments.Count;
}
