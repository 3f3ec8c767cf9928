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
    /// <summary>Items this batch adds to its step's progress.</summary>
    public long ItemCount => PullRequests.Count + Commits.Count + Reviews.Count + Comments.Count;
}
