using System.Text.Json;
using Pulse.Core.Transform;

namespace Pulse.Core.Extract;

/// <summary>
/// The connections of a PR asked by node id (a webhook's targeted refresh), each asked for its first page inside the same
/// query: one round answers what took three (the PR, then its connections, then their next pages). A page is aliased
/// because PullRequestFields already asks the field for its totalCount, and one field may not be asked with two sets of
/// arguments. Only a connection whose first page was not all of it gets a checkpoint of its own.
/// </summary>
public static class PullRequestPages
{
    public static readonly IReadOnlyList<FetchKind> Kinds =
        [FetchKind.Commits, FetchKind.Reviews, FetchKind.IssueComments, FetchKind.ReviewThreads, FetchKind.Labels, FetchKind.TimelineEvents];

    /// <summary>
    /// The connections that may get a tail page: a PR Pulse holds with more than a page of one of them (more than 100 commits,
    /// reviews, comments or threads) is asked for their last items too, so the first page and the tail together are all of it
    /// and no second round is needed. Labels and lifecycle events are never that many.
    /// </summary>
    public static readonly IReadOnlyList<FetchKind> TailKinds = [FetchKind.Commits, FetchKind.Reviews, FetchKind.IssueComments, FetchKind.ReviewThreads];

    /// <summary>
    /// The connections asked of a PR by node id: all of <see cref="Kinds"/>, but its commits only when Pulse does not hold them all
    /// (<see cref="HeldCommits"/>): commits are most of GitHub's work on a PR (each a git object, its diff and its authors), and
    /// a webhook's change mostly leaves them as they were.
    /// </summary>
    public static IEnumerable<FetchKind> KindsAsked(Checkpoint cp) => cp.HeldCommits is null ? Kinds : Kinds.Where(k => k != FetchKind.Commits);

    /// <summary>The <see cref="TailKinds"/> asked of a PR by node id (<see cref="KindsAsked"/>).</summary>
    public static IEnumerable<FetchKind> TailKindsAsked(Checkpoint cp) => TailKinds.Where(KindsAsked(cp).Contains);

    /// <summary>
    /// Whether GitHub's answer <paramref name="pr"/> has the head commit and commits count Pulse held: then its commits are the
    /// ones Pulse holds (an oid fixes a commit's content and its ancestors).
    /// </summary>
    public static bool CommitsUnchanged(JsonElement pr, HeldCommits held) =>
        pr.Str("headRefOid") == held.HeadOid && pr.Prop("commits")?.Int("totalCount") == held.Count;

    /// <summary>Room in a tail for items added since Pulse counted them: a tail is paid per request, not per item.</summary>
    public const int TailMargin = 10;

    /// <summary>The alias a connection's page has inside a node (null: the field's own name, nothing else asks it).</summary>
    public static string? Alias(FetchKind kind) => kind switch
    {
        FetchKind.Commits => "commitPage",
        FetchKind.Reviews => "reviewPage",
        FetchKind.IssueComments => "commentPage",
        FetchKind.ReviewThreads => "threadPage",
        FetchKind.Labels => "labelPage",
        _ => null,
    };

    /// <summary>The alias of a connection's tail page (its last items), beside its first page.</summary>
    public static string TailAlias(FetchKind kind) => kind switch
    {
        FetchKind.Commits => "commitTail",
        FetchKind.Reviews => "reviewTail",
        FetchKind.IssueComments or FetchKind.ThreadComments => "commentTail",
        FetchKind.ReviewThreads => "threadTail",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No tail page."),
    };

    /// <summary>
    /// The width of the tail pages a unit asks beside its first page of <paramref name="first"/> items, 0 for none. For a PR by
    /// node id <see cref="Checkpoint.Remaining"/> holds the most items Pulse held of any of its <see cref="TailKinds"/>, for a
    /// thread's comments how many it held (both set by the refresh); the tail asks for what the first page cannot hold and a
    /// margin, at most a page. A PR held with more than two pages of commits gets a full tail, and the middle is asked
    /// backwards from the tail's start (<see cref="FetchKind.CommitsBefore"/>); a thread held with more than two pages of
    /// comments gets none (its first page's cursor pages on, and a tail would ask for the end twice). A later page (a cursor)
    /// has no tail either.
    /// </summary>
    public static int TailWidth(Checkpoint cp, int first) =>
        cp.Cursor is null && cp.Remaining - first is > 0 and var overflow
        && (cp.Kind == FetchKind.PullRequest || (cp.Kind == FetchKind.ThreadComments && overflow <= 100))
            ? (int)Math.Min(100, overflow + TailMargin) : 0;

    /// <summary>GitHub's request count of a unit's pages: one per connection paged (its one possible parent), tails included.</summary>
    public static long Requests(Checkpoint cp, int first) => cp.Kind switch
    {
        FetchKind.PullRequest => KindsAsked(cp).Count() + (TailWidth(cp, first) > 0 ? TailKindsAsked(cp).Count() : 0),
        _ => TailWidth(cp, first) > 0 ? 2 : 1,
    };

    /// <summary>The items of a page and of its tail, each once (a tail overlaps its page when the connection is shorter than both).</summary>
    public static IEnumerable<JsonElement> Nodes(JsonElement aliasData, JsonElement page, FetchKind kind)
    {
        var nodes = page.Nodes().ToList();
        if (kind is not (FetchKind.Commits or FetchKind.Reviews or FetchKind.IssueComments or FetchKind.ReviewThreads or FetchKind.ThreadComments)
            || aliasData.Prop(TailAlias(kind)) is not { } tail) return nodes;
        var seen = nodes.Select(n => n.Str("id")).ToHashSet(StringComparer.Ordinal);
        return nodes.Concat(tail.Nodes().Where(n => seen.Add(n.Str("id"))));
    }

    /// <summary>Whether the first page and its tail hold the whole connection of <paramref name="total"/> items.</summary>
    public static bool CoveredWithTail(JsonElement aliasData, JsonElement page, FetchKind kind, long total) =>
        Nodes(aliasData, page, kind).Count() >= total;
}
