using System.Text.Json;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Transform;

namespace Pulse.Core.Extract;

/// <summary>
/// Reads an answer unit by unit: where each checkpoint goes next, and which connections the
/// answer reveals that still need fetching (every non-empty connection of every PR listed, and
/// the comments of every review thread). A RESOURCE_LIMITS_EXCEEDED answer keeps its good part:
/// the units GitHub left unanswered are deferred, not failed.
/// </summary>
public static class PageReader
{
    public static PageOutcome Read(GraphQLResponse response, IReadOnlyList<FetchUnit> units)
    {
        var advances = new List<CheckpointAdvance>();
        var discovered = new List<NewCheckpoint>();
        var rawUnits = new List<RawUnit>();
        var totals = new Dictionary<string, long>();
        var errors = new List<string>();
        var missingRepositories = new List<long>();
        var deferred = new List<FetchUnit>();
        // GitHub stops at its resource limits between root fields: the first one left out carries the error, the rest are null.
        var resourceLimited = response.Errors.Any(e => e.Type == ResourceLimitsExceeded);

        foreach (var unit in units)
        {
            var cp = unit.Checkpoint;
            var unitErrors = response.Errors.Where(e => e.Path.Count > 0 && e.Path[0] == unit.Alias).ToList();
            var data = response.Data.Prop(unit.Alias);
            var notFound = unitErrors.Any(e => e.Type == "NOT_FOUND");
            if (data is null && resourceLimited && unitErrors.All(e => e.Type == ResourceLimitsExceeded))
            {
                deferred.Add(unit);
                continue;
            }

            if (data is null || (unitErrors.Count > 0 && !notFound))
            {
                if (notFound && cp.Kind is FetchKind.RepositoryHead or FetchKind.PullRequests)
                {
                    // GitHub no longer resolves the repository (deleted, renamed, or out of the token's sight): asking again
                    // would only repeat the answer, so it leaves later runs; what was stored stays.
                    missingRepositories.Add(cp.RepositoryId);
                    advances.Add(new CheckpointAdvance(cp.Id, cp.Cursor, true, 0, 0, false, RepositoryGone(cp)));
                    rawUnits.Add(Raw(unit, ok: false));
                    continue;
                }
                if (notFound || (data is null && unitErrors.Count == 0))
                {
                    // The PR or thread is gone: nothing more to fetch for this checkpoint.
                    advances.Add(new CheckpointAdvance(cp.Id, cp.Cursor, true, 0, 0, false, $"{FetchKinds.Name(cp.Kind)} {cp.ParentNodeId} not found"));
                    rawUnits.Add(Raw(unit, ok: false));
                    continue;
                }
                var message = unitErrors.Count > 0 ? unitErrors[0].Message : "no data";
                errors.Add(message);
                advances.Add(new CheckpointAdvance(cp.Id, cp.Cursor, false, 0, cp.Remaining, true, message));
                rawUnits.Add(Raw(unit, ok: false));
                continue;
            }

            var connection = Connection(data.Value, cp.Kind);
            if (connection is null)
            {
                // The node resolved to another type: the id no longer names what we asked for.
                advances.Add(new CheckpointAdvance(cp.Id, cp.Cursor, true, 0, 0, false, $"{cp.ParentNodeId} has no {FetchKinds.Name(cp.Kind)}"));
                rawUnits.Add(Raw(unit, ok: false));
                continue;
            }

            var nodes = connection.Value.Nodes().ToList();
            var pageInfo = connection.Value.Prop("pageInfo");
            var hasNext = pageInfo?.Bool("hasNextPage") ?? false;
            var endCursor = pageInfo?.Str("endCursor") ?? cp.Cursor;
            var total = connection.Value.Int("totalCount") ?? connection.Value.Int("filteredCount") ?? nodes.Count;
            rawUnits.Add(Raw(unit, ok: true));

            switch (cp.Kind)
            {
                case FetchKind.RepositoryHead:
                    var newest = nodes.FirstOrDefault();
                    var changed = newest.ValueKind == JsonValueKind.Object && (cp.Since is null || newest.ReqDate("updatedAt") >= cp.Since);
                    if (changed)
                        discovered.Add(new NewCheckpoint(cp.RepositoryId, FetchKind.PullRequests, cp.ParentNodeId, null, null, total, cp.Since));
                    advances.Add(new CheckpointAdvance(cp.Id, null, true, nodes.Count, 0, false, null));
                    break;

                case FetchKind.PullRequests:
                    var included = nodes.TakeWhile(pr => cp.Since is null || pr.ReqDate("updatedAt") >= cp.Since).ToList();
                    var reachedOlder = included.Count < nodes.Count;
                    foreach (var pr in included) DiscoverPullRequestConnections(pr, cp, discovered, totals);
                    Add(totals, GitHubPrJob.PullRequests.Name, included.Count);
                    var listingDone = !hasNext || reachedOlder;
                    advances.Add(new CheckpointAdvance(cp.Id, endCursor, listingDone, included.Count, Math.Max(0, total - included.Count), false, null)
                        { PageSize = Math.Min(100, cp.PageSize * 2) });
                    break;

                case FetchKind.PullRequest:
                    // The PR itself is the answer, with the first page of each connection: only what those pages left is fetched on.
                    Add(totals, GitHubPrJob.PullRequests.Name, 1);
                    ReadPullRequestPages(unit, data.Value, discovered, rawUnits, totals);
                    advances.Add(new CheckpointAdvance(cp.Id, null, true, 1, 0, false, null));
                    break;

                case FetchKind.ReviewThreads:
                    foreach (var thread in nodes) DiscoverThreadComments(thread, cp, discovered, totals);
                    advances.Add(Advance(cp, endCursor, hasNext, nodes.Count, total));
                    break;

                case FetchKind.CommitsBefore:
                    // Backwards from the tail: done once the middle is fetched, or nothing is before this page.
                    var before = pageInfo?.Str("startCursor") ?? cp.Cursor;
                    var middleLeft = Math.Max(0, cp.Remaining - nodes.Count);
                    advances.Add(new CheckpointAdvance(cp.Id, before, middleLeft == 0 || pageInfo?.Bool("hasPreviousPage") != true, nodes.Count, middleLeft, false, null));
                    break;

                case FetchKind.ThreadComments:
                    // A thread Pulse held with more than a page of comments was asked for its last ones too: together, maybe all.
                    var covered = hasNext && PullRequestPages.CoveredWithTail(data.Value, connection.Value, cp.Kind, total);
                    advances.Add(Advance(cp, endCursor, hasNext && !covered, nodes.Count, total));
                    break;

                case FetchKind.TimelineEvents:
                    // filteredCount counts the asked items from the cursor on: what is left after this page is exact.
                    advances.Add(Advance(cp, endCursor, hasNext, nodes.Count, total) with { Remaining = Math.Max(0, total - nodes.Count) });
                    break;

                default:
                    advances.Add(Advance(cp, endCursor, hasNext, nodes.Count, total));
                    break;
            }
        }
        return new PageOutcome(advances, discovered, rawUnits, totals, errors)
        {
            MissingRepositories = missingRepositories, Deferred = deferred, ResourceLimited = resourceLimited,
        };
    }

    public const string ResourceLimitsExceeded = "RESOURCE_LIMITS_EXCEEDED";

    /// <summary>The note recorded on the checkpoint of a repository GitHub answered NOT_FOUND for.</summary>
    public static string RepositoryGone(Checkpoint cp) =>
        $"Repository {cp.RepositoryOwner}/{cp.RepositoryName} was not found on GitHub (deleted, renamed, or no longer visible to the token): " +
        "it is marked inactive and left out of later runs; its stored rows are kept.";

    private static CheckpointAdvance Advance(Checkpoint cp, string? endCursor, bool hasNext, int fetched, int total) =>
        new(cp.Id, endCursor, !hasNext, fetched, Math.Max(0, cp.Remaining - fetched), false, null) { PageSize = Math.Min(100, cp.PageSize * 2) };

    private static RawUnit Raw(FetchUnit unit, bool ok) =>
        new(unit.Alias, unit.Checkpoint.Kind, unit.Checkpoint.RepositoryId, unit.Checkpoint.ParentNodeId, unit.Checkpoint.PullRequestNodeId, unit.Checkpoint.Since, ok);

    /// <summary>The connection a unit pages through, inside its alias.</summary>
    public static JsonElement? Connection(JsonElement aliasData, FetchKind kind) => kind switch
    {
        FetchKind.RepositoryHead or FetchKind.PullRequests => aliasData.Prop("pullRequests"),
        // A PR asked by node id carries its pages under their aliases, beside the fields' totalCounts.
        FetchKind.Commits => aliasData.Prop("commitPage") ?? aliasData.Prop("commits"),
        FetchKind.CommitsBefore => aliasData.Prop("commits"),
        FetchKind.Reviews => aliasData.Prop("reviewPage") ?? aliasData.Prop("reviews"),
        FetchKind.IssueComments => aliasData.Prop("commentPage") ?? aliasData.Prop("comments"),
        FetchKind.ReviewThreads => aliasData.Prop("threadPage") ?? aliasData.Prop("reviewThreads"),
        FetchKind.ThreadComments => aliasData.Prop("comments"),
        FetchKind.TimelineEvents => aliasData.Prop("timelineItems"),
        FetchKind.Labels => aliasData.Prop("labelPage"),
        // A node of another type answers `... on PullRequest` with an empty object: no id, not the PR asked for.
        FetchKind.PullRequest => aliasData.ValueKind == JsonValueKind.Object && aliasData.Str("id") is not null ? aliasData : null,
        _ => null,
    };

    private static void DiscoverPullRequestConnections(JsonElement pr, Checkpoint listing, List<NewCheckpoint> discovered, Dictionary<string, long> totals)
    {
        var prId = pr.ReqStr("id");
        foreach (var (field, kind) in new[] { ("commits", FetchKind.Commits), ("reviews", FetchKind.Reviews), ("comments", FetchKind.IssueComments), ("reviewThreads", FetchKind.ReviewThreads) })
        {
            var count = pr.TotalCount(field);
            if (kind != FetchKind.ReviewThreads) Add(totals, FetchKinds.StepOf(kind).Name, count);
            // An empty connection costs nothing to skip: only non-empty ones are fetched.
            if (count > 0) discovered.Add(new NewCheckpoint(listing.RepositoryId, kind, prId, prId, null, count, null));
        }
        if (pr.TotalCount("labels") is > 0 and var labels) discovered.Add(new NewCheckpoint(listing.RepositoryId, FetchKind.Labels, prId, prId, null, labels, null));
        // Nothing free tells how many lifecycle events a PR has (the timeline's totalCount counts every item type): every PR
        // gets one request for them, planned at the size its listing suggests.
        discovered.Add(new NewCheckpoint(listing.RepositoryId, FetchKind.TimelineEvents, prId, prId, null, ExpectedTimelineEvents(pr), null));
    }

    /// <summary>
    /// The pages a PR asked by node id brought (<see cref="PullRequestPages"/>): each is stored as a unit of its own kind on the
    /// same alias, so every step's transform reads its rows from it; a connection with more gets a checkpoint from its cursor.
    /// </summary>
    private static void ReadPullRequestPages(FetchUnit unit, JsonElement pr, List<NewCheckpoint> discovered, List<RawUnit> rawUnits, Dictionary<string, long> totals)
    {
        var cp = unit.Checkpoint;
        var prId = pr.ReqStr("id");
        if (cp.HeldCommits is { } held)
        {
            // Commits were not asked: the ones Pulse holds are kept when GitHub's head and count are the same, else all are asked.
            if (PullRequestPages.CommitsUnchanged(pr, held)) rawUnits.Add(Raw(unit, ok: true) with { Kind = FetchKind.Commits, Kept = true });
            else
            {
                var commits = pr.TotalCount("commits");
                Add(totals, GitHubPrJob.Commits.Name, commits);
                if (commits > 0) discovered.Add(new NewCheckpoint(cp.RepositoryId, FetchKind.Commits, prId, prId, null, commits, null));
            }
        }
        foreach (var kind in PullRequestPages.KindsAsked(cp))
        {
            if (Connection(pr, kind) is not { } page) continue;
            var nodes = PullRequestPages.Nodes(pr, page, kind).ToList();
            var total = page.Int("totalCount") ?? page.Int("filteredCount") ?? nodes.Count;
            rawUnits.Add(Raw(unit, ok: true) with { Kind = kind });
            if (kind is FetchKind.ReviewThreads) foreach (var thread in nodes) DiscoverThreadComments(thread, cp, discovered, totals);
            else if (kind is not (FetchKind.Labels or FetchKind.TimelineEvents)) Add(totals, FetchKinds.StepOf(kind).Name, total);
            // The first page and its tail (asked of a PR Pulse held with more than a page) may hold it all: nothing to page on.
            if (page.Prop("pageInfo") is not { } info || info.Bool("hasNextPage") != true || nodes.Count >= total) continue;
            // Commits are the connection held past two pages (GitHub lists up to 250 of a PR): only the middle is asked, backwards
            // from where the tail starts. Any other goes on from the first page's cursor.
            if (kind == FetchKind.Commits && pr.Prop(PullRequestPages.TailAlias(kind))?.Prop("pageInfo")?.Str("startCursor") is { } tailStart)
                discovered.Add(new NewCheckpoint(cp.RepositoryId, FetchKind.CommitsBefore, prId, prId, tailStart, total - nodes.Count, null));
            else
                discovered.Add(new NewCheckpoint(cp.RepositoryId, kind, prId, prId, info.Str("endCursor"), Math.Max(0, total - nodes.Count), null));
        }
    }

    /// <summary>
    /// A planning guess of a PR's lifecycle events, never a stop condition: a merged or closed PR has its closing events, most
    /// reviews were requested first, and one more for a draft change or a force push.
    /// </summary>
    public static long ExpectedTimelineEvents(JsonElement pr) =>
        (pr.Str("state") is "MERGED" ? 2 : pr.Str("state") is "CLOSED" ? 1 : 0) + pr.TotalCount("reviews") + 1;

    /// <summary>Every thread with comments gets a checkpoint of its own: its comments are asked of the thread, not nested under the PR's threads.</summary>
    private static void DiscoverThreadComments(JsonElement thread, Checkpoint threads, List<NewCheckpoint> discovered, Dictionary<string, long> totals)
    {
        if (thread.Prop("comments") is not { } comments) return;
        var total = comments.Int("totalCount") ?? 0;
        Add(totals, GitHubPrJob.Comments.Name, total);
        if (total > 0)
            discovered.Add(new NewCheckpoint(threads.RepositoryId, FetchKind.ThreadComments, thread.ReqStr("id"), threads.PullRequestNodeId, null, total, null));
    }

    private static void Add(Dictionary<string, long> totals, string step, long count) =>
        totals[step] = totals.GetValueOrDefault(step) + count;
}
