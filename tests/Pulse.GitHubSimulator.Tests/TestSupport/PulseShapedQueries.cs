using System.Text;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Tests.TestSupport;

/// <summary>
/// Queries in the shape Pulse's extraction sends (recorded from a bench-org sync): many aliased units,
/// each a node or repository with one connection, variables per unit and shared fragments.
/// </summary>
internal static class PulseShapedQueries
{
    public const string Fragments = """
        fragment CommitFields on PullRequestCommit {
          id
          commit { oid message additions deletions authoredDate committedDate
            author { name email date user { login } } committer { name email date user { login } } }
        }
        fragment IssueCommentFields on IssueComment { id databaseId author { __typename login } body createdAt updatedAt }
        fragment PullRequestFields on PullRequest {
          id databaseId number title body url state isDraft createdAt updatedAt closedAt mergedAt
          author { __typename login } mergedBy { __typename login } baseRefName headRefName baseRefOid headRefOid
          additions deletions changedFiles commits { totalCount } reviews { totalCount } comments { totalCount } reviewThreads { totalCount }
        }
        fragment ReviewCommentFields on PullRequestReviewComment {
          id databaseId author { __typename login } body createdAt updatedAt path line originalLine diffHunk replyTo { id } pullRequestReview { id }
        }
        fragment ReviewFields on PullRequestReview { id databaseId author { __typename login } state body createdAt submittedAt updatedAt commit { oid } }
        fragment ReviewThreadFields on PullRequestReviewThread {
          id isResolved isOutdated isCollapsed path line startLine diffSide resolvedBy { login }
        }
        """;

    /// <summary>The unit bodies Pulse sends per pull request id, by connection; {0} stands for the unit number.</summary>
    public static readonly string[] NodeUnits =
    [
        "commits(first: 100, after: $c{0}) { totalCount pageInfo { hasNextPage endCursor } nodes { ...CommitFields } }",
        "reviews(first: 100, after: $c{0}) { totalCount pageInfo { hasNextPage endCursor } nodes { ...ReviewFields } }",
        "comments(first: 100, after: $c{0}) { totalCount pageInfo { hasNextPage endCursor } nodes { ...IssueCommentFields } }",
        "reviewThreads(first: 2, after: $c{0}) { totalCount pageInfo { hasNextPage endCursor } nodes { ...ReviewThreadFields comments { totalCount } } }",
    ];

    /// <summary>One unit per (pull request id, connection body): <c>uN: node(id: $iN) { ... on PullRequest { body } }</c>.</summary>
    public static (string Query, JsonObject Variables) NodeQuery(IReadOnlyList<(string Id, string Unit, string? Cursor)> units)
    {
        var head = new StringBuilder("query Pulse(");
        var body = new StringBuilder();
        var variables = new JsonObject();
        for (var i = 0; i < units.Count; i++)
        {
            head.Append(i == 0 ? "" : ", ").Append($"$i{i}: ID!, $c{i}: String");
            body.Append($"  u{i}: node(id: $i{i}) {{ ... on PullRequest {{ {units[i].Unit.Replace("{0}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)} }} }}\n");
            variables[$"i{i}"] = units[i].Id;
            variables[$"c{i}"] = units[i].Cursor;
        }
        return ($"{head}) {{\n{body}}}\n{FragmentsUsedBy(body.ToString())}", variables);
    }

    /// <summary>One pullRequests page per repository, newest update first, as Pulse pages them.</summary>
    public static (string Query, JsonObject Variables) PullRequestQuery(IReadOnlyList<(string Owner, string Name, string? Cursor)> repos, int pageSize = 100)
    {
        var head = new StringBuilder("query Pulse(");
        var body = new StringBuilder();
        var variables = new JsonObject();
        for (var i = 0; i < repos.Count; i++)
        {
            head.Append(i == 0 ? "" : ", ").Append($"$o{i}: String!, $n{i}: String!, $c{i}: String");
            body.Append($"  u{i}: repository(owner: $o{i}, name: $n{i}) {{ pullRequests(first: {pageSize}, after: $c{i}, "
                + "orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount pageInfo { hasNextPage endCursor } nodes { ...PullRequestFields } } }\n");
            variables[$"o{i}"] = repos[i].Owner;
            variables[$"n{i}"] = repos[i].Name;
            variables[$"c{i}"] = repos[i].Cursor;
        }
        return ($"{head}) {{\n{body}}}\n{FragmentsUsedBy(body.ToString())}", variables);
    }

    /// <summary>The fragment definitions <paramref name="body"/> spreads (an unused fragment is a validation error).</summary>
    public static string FragmentsUsedBy(string body) => string.Join("\n", Fragments
        .Split("fragment ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(f => body.Contains("..." + f[..f.IndexOf(' ', StringComparison.Ordinal)] + " ", StringComparison.Ordinal))
        .Select(f => "fragment " + f));
}
