using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pulse.Core.Extract;

/// <summary>
/// Renders fetch units as one aliased query. Ids and cursors travel as variables so that queries
/// of the same shape have the same text (and the same hash in the raw store).
/// </summary>
public static class QueryBuilder
{
    private const string PageInfo = "totalCount pageInfo { hasNextPage endCursor }";

    /// <summary>GitHub's timeline totalCount counts every item type whatever itemTypes says: filteredCount counts the asked ones.</summary>
    private const string TimelinePageInfo = "filteredCount pageInfo { hasNextPage endCursor }";

    /// <summary>A page read backwards (a tail, the middle before it): where it starts, and whether anything is before it.</summary>
    private const string TailPageInfo = "pageInfo { hasPreviousPage startCursor }";

    private static readonly string ItemTypes = string.Join(", ", TimelineEventTypes.All);

    public static PlannedQuery Build(IReadOnlyList<FetchUnit> units)
    {
        var declarations = new List<string>();
        var variables = new JsonObject();
        var body = new StringBuilder();
        var fragments = new SortedSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            var cp = unit.Checkpoint;
            var first = unit.First.ToString(CultureInfo.InvariantCulture);
            switch (cp.Kind)
            {
                case FetchKind.RepositoryHead:
                    Declare(declarations, variables, $"o{i}", "String!", cp.RepositoryOwner);
                    Declare(declarations, variables, $"n{i}", "String!", cp.RepositoryName);
                    body.Append($"  {unit.Alias}: repository(owner: $o{i}, name: $n{i}) {{ pullRequests(first: 1, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{ totalCount nodes {{ id updatedAt }} }} }}\n");
                    break;
                case FetchKind.PullRequests:
                    Declare(declarations, variables, $"o{i}", "String!", cp.RepositoryOwner);
                    Declare(declarations, variables, $"n{i}", "String!", cp.RepositoryName);
                    Declare(declarations, variables, $"c{i}", "String", cp.Cursor);
                    body.Append($"  {unit.Alias}: repository(owner: $o{i}, name: $n{i}) {{ pullRequests(first: {first}, after: $c{i}, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{ {PageInfo} nodes {{ ...PullRequestFields }} }} }}\n");
                    fragments.Add("PullRequestFields");
                    break;
                case FetchKind.PullRequest:
                    Declare(declarations, variables, $"i{i}", "ID!", cp.ParentNodeId);
                    // The first page of each connection comes along (PullRequestPages): most refreshed PRs need no second round.
                    var pages = string.Join(" ", PullRequestPages.KindsAsked(cp).Select(kind => Page(kind, first, "", aliased: true, fragments)));
                    // A PR Pulse held with more than a page of something: the last items too (PullRequestPages.TailWidth).
                    if (PullRequestPages.TailWidth(cp, unit.First) is > 0 and var tail)
                        pages += " " + string.Join(" ", PullRequestPages.TailKindsAsked(cp).Select(kind => Tail(kind, tail)));
                    body.Append($"  {unit.Alias}: node(id: $i{i}) {{ ... on PullRequest {{ ...PullRequestFields {pages} }} }}\n");
                    fragments.Add("PullRequestFields");
                    break;
                case FetchKind.CommitsBefore:
                    Declare(declarations, variables, $"i{i}", "ID!", cp.ParentNodeId);
                    Declare(declarations, variables, $"c{i}", "String", cp.Cursor);
                    body.Append($"  {unit.Alias}: node(id: $i{i}) {{ ... on PullRequest {{ commits(last: {first}, before: $c{i}) {{ totalCount {TailPageInfo} nodes {{ ...CommitFields }} }} }} }}\n");
                    fragments.Add("CommitFields");
                    break;
                case FetchKind.ThreadComments:
                    Declare(declarations, variables, $"i{i}", "ID!", cp.ParentNodeId);
                    Declare(declarations, variables, $"c{i}", "String", cp.Cursor);
                    var commentTail = PullRequestPages.TailWidth(cp, unit.First) is > 0 and var width
                        ? $" {PullRequestPages.TailAlias(FetchKind.ThreadComments)}: comments(last: {width}) {{ nodes {{ ...ReviewCommentFields }} }}" : "";
                    body.Append($"  {unit.Alias}: node(id: $i{i}) {{ ... on PullRequestReviewThread {{ ...ReviewThreadFields comments(first: {first}, after: $c{i}) {{ {PageInfo} nodes {{ ...ReviewCommentFields }} }}{commentTail} }} }}\n");
                    fragments.Add("ReviewThreadFields");
                    fragments.Add("ReviewCommentFields");
                    break;
                default:
                    Declare(declarations, variables, $"i{i}", "ID!", cp.ParentNodeId);
                    Declare(declarations, variables, $"c{i}", "String", cp.Cursor);
                    // A page of the PR step's own children carries the PR's fields: its rows must find the PR row, whichever page is written first.
                    var prFields = FetchKinds.CarriesPullRequest(cp.Kind) ? "...PullRequestFields " : "";
                    body.Append($"  {unit.Alias}: node(id: $i{i}) {{ ... on PullRequest {{ {prFields}{Page(cp.Kind, first, $", after: $c{i}", aliased: prFields.Length > 0, fragments)} }} }}\n");
                    if (prFields.Length > 0) fragments.Add("PullRequestFields");
                    break;
            }
        }
        body.Append("  rateLimit { cost limit remaining used resetAt nodeCount }\n");

        var text = new StringBuilder();
        text.Append("query Pulse");
        if (declarations.Count > 0) text.Append('(').Append(string.Join(", ", declarations)).Append(')');
        text.Append(" {\n").Append(body).Append("}\n");
        foreach (var f in fragments) text.Append(QueryFragments.Get(f)).Append('\n');

        return new PlannedQuery(text.ToString(), variables, units, units.Sum(u => u.Requests), units.Sum(u => u.PossibleNodes));
    }

    /// <summary>One page of a PR's connection, aliased (<see cref="PullRequestPages.Alias"/>) when the PR's own fields come along.</summary>
    private static string Page(FetchKind kind, string first, string after, bool aliased, ISet<string> fragments)
    {
        var (field, arguments, pageInfo, selection, fragment) = PullRequestConnection(kind);
        foreach (var f in fragment) fragments.Add(f);
        var alias = aliased && PullRequestPages.Alias(kind) is { } a ? $"{a}: " : "";
        return $"{alias}{field}(first: {first}{after}{arguments}) {{ {pageInfo} nodes {{ {selection} }} }}";
    }

    /// <summary>The last <paramref name="width"/> items of a PR's connection: their rows only, the first page tells the count.</summary>
    private static string Tail(FetchKind kind, int width)
    {
        var (field, arguments, _, selection, _) = PullRequestConnection(kind);
        return $"{PullRequestPages.TailAlias(kind)}: {field}(last: {width}{arguments}) {{ {TailPageInfo} nodes {{ {selection} }} }}";
    }

    private static (string Field, string Arguments, string PageInfo, string Selection, string[] Fragments) PullRequestConnection(FetchKind kind) => kind switch
    {
        FetchKind.Commits => ("commits", "", PageInfo, "...CommitFields", ["CommitFields"]),
        FetchKind.Reviews => ("reviews", "", PageInfo, "...ReviewFields", ["ReviewFields"]),
        FetchKind.IssueComments => ("comments", "", PageInfo, "...IssueCommentFields", ["IssueCommentFields"]),
        FetchKind.Labels => ("labels", "", PageInfo, "...LabelFields", ["LabelFields"]),
        FetchKind.TimelineEvents => ("timelineItems", $", itemTypes: [{ItemTypes}]", TimelinePageInfo, "...TimelineEventFields", ["TimelineEventFields"]),
        // A thread's comments are fetched from the thread itself (ThreadComments): one request per thread either way, and
        // rows nested under another connection's nodes cost GitHub far more time than rows asked of their own parent.
        FetchKind.ReviewThreads => ("reviewThreads", "", PageInfo, "...ReviewThreadFields comments { totalCount }", ["ReviewThreadFields"]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a pull request connection."),
    };

    private static void Declare(List<string> declarations, JsonObject variables, string name, string type, string? value)
    {
        declarations.Add($"${name}: {type}");
        variables[name] = value;
    }
}
