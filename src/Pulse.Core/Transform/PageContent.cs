using Pulse.Core.Storage;
using System.Text.Json;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Core.Transform;

/// <summary>
/// The rows one step reads out of a stored answer. <see cref="ParentPrs"/> are the PR rows that came along with a page of
/// the PR's events or labels: written so those rows find their PR, not counted as the step's items.
/// </summary>
public sealed record StepRows(List<PullRequestRow> Prs, List<CommitRow> Commits, List<ReviewRow> Reviews, List<ReviewThreadRow> Threads, List<CommentRow> Comments)
{
    public List<PullRequestRow> ParentPrs { get; } = [];
    public List<TimelineEventRow> Events { get; } = [];
    public List<LabelRow> Labels { get; } = [];

    /// <summary>PRs whose commits are unchanged since Pulse fetched them (<see cref="RawUnit.Kept"/>): their rows are kept as they are.</summary>
    public List<string> KeptCommits { get; } = [];
}

/// <summary>Reads the rows of one or more steps out of a stored answer.</summary>
public static class PageContent
{
    public static StepRows Read(ReadOnlyMemory<byte> payload, IReadOnlyList<RawUnit> units, PipelineStep step) => Read(payload, units, [step])[step];

    /// <summary>
    /// Every given step's rows, the answer walked and its wanted aliases parsed once for all of them: a follow-up
    /// page feeds the commits, reviews and comments steps, and its transform reads them together (issue #7).
    /// </summary>
    public static Dictionary<PipelineStep, StepRows> Read(ReadOnlyMemory<byte> payload, IReadOnlyList<RawUnit> units, IReadOnlyCollection<PipelineStep> steps)
    {
        var wantedUnits = units.Where(u => u.Ok && u.Kind != FetchKind.RepositoryHead && steps.Contains(FetchKinds.StepOf(u.Kind))).ToList();
        var aliases = StepAliases.Read(payload, wantedUnits.Select(u => u.Alias).ToHashSet(StringComparer.Ordinal));
        try
        {
            return steps.ToDictionary(step => step, step => Map(aliases, wantedUnits.Where(u => FetchKinds.StepOf(u.Kind) == step)));
        }
        finally
        {
            foreach (var document in aliases.Values) document.Dispose();
        }
    }

    private static StepRows Map(Dictionary<string, JsonDocument> aliases, IEnumerable<RawUnit> stepUnits)
    {
        var prs = new List<PullRequestRow>();
        var commits = new List<CommitRow>();
        var reviews = new List<ReviewRow>();
        var threads = new List<ReviewThreadRow>();
        var comments = new List<CommentRow>();
        var rows = new StepRows(prs, commits, reviews, threads, comments);
        foreach (var unit in stepUnits)
        {
            if (unit.Kept)
            {
                rows.KeptCommits.Add(unit.PullRequestNodeId ?? throw new InvalidDataException($"Kept commits of alias {unit.Alias} name no pull request."));
                continue;
            }
            if (!aliases.TryGetValue(unit.Alias, out var aliasDocument)) continue;
            var aliasData = aliasDocument.RootElement;
            if (aliasData.ValueKind == JsonValueKind.Null || PageReader.Connection(aliasData, unit.Kind) is not { } connection) continue;
            // A first page asked with a tail (PullRequestPages): the rows of both, each once.
            var nodes = PullRequestPages.Nodes(aliasData, connection, unit.Kind);
            var prId = unit.PullRequestNodeId;
            switch (unit.Kind)
            {
                case FetchKind.PullRequests:
                    // Incremental runs stop at the first PR older than the cut-off; older ones on the same page are unchanged.
                    prs.AddRange(nodes.TakeWhile(n => unit.Since is null || n.ReqDate("updatedAt") >= unit.Since)
                        .Select(n => PullRequestMapper.Map(n, unit.RepositoryId)));
                    break;
                case FetchKind.TimelineEvents:
                    rows.ParentPrs.Add(PullRequestMapper.Map(aliasData, unit.RepositoryId));
                    rows.Events.AddRange(nodes.Select(n => TimelineEventMapper.Map(n, prId!)).OfType<TimelineEventRow>());
                    break;
                case FetchKind.Labels:
                    rows.ParentPrs.Add(PullRequestMapper.Map(aliasData, unit.RepositoryId));
                    rows.Labels.AddRange(nodes.Select(n => LabelMapper.Map(n, prId!)));
                    break;
                case FetchKind.PullRequest:
                    prs.Add(PullRequestMapper.Map(aliasData, unit.RepositoryId));
                    break;
                case FetchKind.Commits or FetchKind.CommitsBefore:
                    commits.AddRange(nodes.Select(n => CommitMapper.Map(n, prId!)));
                    break;
                case FetchKind.Reviews:
                    reviews.AddRange(nodes.Select(n => ReviewMapper.Map(n, prId!)));
                    break;
                case FetchKind.IssueComments:
                    comments.AddRange(nodes.Select(n => CommentMapper.MapIssueComment(n, prId!)));
                    break;
                case FetchKind.ReviewThreads:
                    foreach (var thread in nodes)
                    {
                        var row = ReviewThreadMapper.Map(thread, prId!);
                        threads.Add(row);
                        if (thread.Prop("comments") is { } first)
                            comments.AddRange(first.Nodes().Select(c => CommentMapper.MapReviewComment(c, prId!, row.NodeId)));
                    }
                    break;
                case FetchKind.ThreadComments:
                    // The thread's own fields come along, so its row exists even if this page is read first.
                    var threadRow = ReviewThreadMapper.Map(aliasData, aliasData.Prop("pullRequest")?.Str("id") ?? prId!);
                    threads.Add(threadRow);
                    comments.AddRange(nodes.Select(c => CommentMapper.MapReviewComment(c, threadRow.PullRequestNodeId, threadRow.NodeId)));
                    break;
            }
        }
        return rows;
    }
}
