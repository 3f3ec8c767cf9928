using System.Collections.Concurrent;

namespace Pulse.Bench;

/// <summary>What one pull request holds, as a baseline fetched it completely.</summary>
public sealed class PrShape
{
    public required string Repository { get; init; }
    public required int Number { get; init; }
    public long Commits, Reviews, Comments, Threads;
    /// <summary>Lifecycle events of the eight types Pulse extracts (issue 13), and labels; -1 when the baseline did not fetch them.</summary>
    public long TimelineEvents = -1, Labels = -1;
    public ConcurrentBag<long> ThreadComments { get; } = [];
}

/// <summary>The data set's shape as an extractor saw it: repositories and, per PR, every connection's item count.</summary>
public sealed class DataShape
{
    public ConcurrentDictionary<string, long> PullRequestsPerRepository { get; } = new();
    public ConcurrentDictionary<string, PrShape> PullRequests { get; } = new();

    public long Prs => PullRequests.Count;
    public long Commits => PullRequests.Values.Sum(p => p.Commits);
    public long Reviews => PullRequests.Values.Sum(p => p.Reviews);
    public long IssueComments => PullRequests.Values.Sum(p => p.Comments);
    public long Threads => PullRequests.Values.Sum(p => p.Threads);
    public long ReviewComments => PullRequests.Values.Sum(p => p.ThreadComments.Sum());
    public long TimelineEvents => PullRequests.Values.Sum(p => Math.Max(0, p.TimelineEvents));
    public long Labels => PullRequests.Values.Sum(p => Math.Max(0, p.Labels));

    public object Summary() => new
    {
        repositories = PullRequestsPerRepository.Count,
        pullRequests = Prs,
        commits = Commits,
        reviews = Reviews,
        issueComments = IssueComments,
        reviewThreads = Threads,
        reviewComments = ReviewComments,
        timelineEvents = TimelineEvents,
        labels = Labels,
        maxCommitsPerPr = PullRequests.Values.Max(p => p.Commits),
        maxIssueCommentsPerPr = PullRequests.Values.Max(p => p.Comments),
        maxThreadsPerPr = PullRequests.Values.Max(p => p.Threads),
        maxCommentsPerThread = PullRequests.Values.SelectMany(p => p.ThreadComments).DefaultIfEmpty(0).Max(),
        prsOver100Commits = PullRequests.Values.Count(p => p.Commits > 100),
        prsOver100IssueComments = PullRequests.Values.Count(p => p.Comments > 100),
    };

    /// <summary>True when both saw the same items (the two complete extractions agree).</summary>
    public bool SameTotalsAs(DataShape other) =>
        Prs == other.Prs && Commits == other.Commits && Reviews == other.Reviews && IssueComments == other.IssueComments
        && Threads == other.Threads && ReviewComments == other.ReviewComments;

    public string Totals() => $"{Prs} PRs, {Commits} commits, {Reviews} reviews, {IssueComments} issue comments, {Threads} threads, {ReviewComments} review comments, {TimelineEvents} timeline events, {Labels} labels";
}

/// <summary>
/// (c) The fewest points GitHub's cost rule allows for complete data of this shape.
/// Minimum requests R = discovery listing pages (ceil(repos/100)) + PR listing pages (Σ ceil(prs/100) per repository;
/// nested totalCount-only connections are free) + one request per non-empty connection page
/// (Σ over PRs and commits/reviews/comments/reviewThreads of ceil(n/100)) + one per review-thread comment page
/// (Σ over threads of ceil(n/100)) + the PR step's timeline and labels (issue 13): per PR max(1, ceil(events/100)) — nothing
/// free tells a PR's lifecycle-event count (the timeline's totalCount counts every item type whatever itemTypes says), so
/// every PR's timeline costs at least one request — and ceil(labels/100) (labels { totalCount } is free). Packed into
/// queries of at most 149 requests (1 point each):
/// points ≥ ceil(R / 149). Assumes any requests may share a query (ignores the order in which cursors become known).
/// </summary>
public static class LowerBound
{
    public static (long Requests, long Points) Of(DataShape shape)
    {
        static long Pages(long n) => (n + 99) / 100;
        long requests = Pages(shape.PullRequestsPerRepository.Count);
        requests += shape.PullRequestsPerRepository.Values.Sum(n => Math.Max(1, Pages(n)));
        foreach (var pr in shape.PullRequests.Values)
        {
            requests += Pages(pr.Commits) + Pages(pr.Reviews) + Pages(pr.Comments) + Pages(pr.Threads);
            requests += pr.ThreadComments.Sum(Pages);
            if (pr.TimelineEvents >= 0) requests += Math.Max(1, Pages(pr.TimelineEvents)) + Pages(pr.Labels);
        }
        return (requests, (requests + 148) / 149);
    }

    /// <summary>
    /// (c′) The same, with the two rounds no extractor can avoid: the repositories must be listed before their
    /// PRs, and PR ids are unknown until the first listing pages answer, so the discovery query and the query of
    /// the first listing pages carry nothing else: points ≥ 2 + ceil((R − discovery pages − first listing pages) / 149).
    /// </summary>
    public static long WithRounds(DataShape shape)
    {
        var (requests, _) = Of(shape);
        var rest = requests - (shape.PullRequestsPerRepository.Count + 99) / 100 - shape.PullRequestsPerRepository.Count;
        return 2 + (rest + 148) / 149;
    }
}
