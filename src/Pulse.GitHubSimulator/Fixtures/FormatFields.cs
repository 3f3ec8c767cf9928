using System.Text.Json.Nodes;
using GraphQL.Types;
using Pulse.GitHubSimulator.GraphQL.Schema;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// The fields shared/github/DATASET.md's format holds per type, and which of them a converted recording lacks: a
/// recording holds what its query selected, so a converter declares the rest (top-level "absentFields") and the
/// simulator serves those as zero instead of refusing them. Only fields GitHub never leaves null, and connections,
/// need declaring; a field outside the format (mergeable, files...) is never declared, so asking for it stays an error.
/// </summary>
internal static class FormatFields
{
    private static readonly Dictionary<string, string[]> Format = new(StringComparer.Ordinal)
    {
        ["Repository"] = ["id", "databaseId", "name", "description", "isPrivate", "isArchived", "isFork", "defaultBranchRef", "primaryLanguage", "createdAt", "updatedAt", "pushedAt"],
        ["PullRequest"] =
        [
            "id", "databaseId", "number", "title", "body", "url", "state", "isDraft", "createdAt", "updatedAt", "closedAt", "mergedAt",
            "author", "mergedBy", "baseRefName", "headRefName", "baseRefOid", "headRefOid", "mergeCommit", "additions", "deletions",
            "changedFiles", "labels", "commits", "reviews", "comments", "reviewThreads",
        ],
        ["PullRequestCommit"] = ["id", "url", "commit"],
        ["Commit"] = ["oid", "message", "additions", "deletions", "authoredDate", "committedDate", "author", "committer"],
        ["PullRequestReview"] = ["id", "databaseId", "author", "state", "body", "createdAt", "submittedAt", "updatedAt", "commit"],
        ["IssueComment"] = ["id", "databaseId", "author", "body", "createdAt", "updatedAt", "isMinimized"],
        ["PullRequestReviewThread"] = ["id", "isResolved", "isOutdated", "isCollapsed", "path", "line", "startLine", "diffSide", "resolvedBy", "comments"],
        ["PullRequestReviewComment"] =
            ["id", "databaseId", "author", "body", "createdAt", "updatedAt", "path", "line", "originalLine", "diffHunk", "replyTo", "pullRequestReview"],
        ["Label"] = ["id", "name"],
        ["Issue"] = ["id", "databaseId", "number", "title", "body", "url", "state", "createdAt", "updatedAt", "closedAt", "author", "labels", "comments"],
    };

    /// <summary>"Type.field" for every format field GitHub never leaves null (or connection) that some object of the data set lacks.</summary>
    public static JsonArray Lacking(IEnumerable<JsonObject> repositories)
    {
        var lacking = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var repo in repositories)
        {
            Check(repo, "Repository", lacking);
            foreach (var pr in Items(repo, "pullRequests"))
            {
                Check(pr, "PullRequest", lacking);
                foreach (var commit in Items(pr, "commits"))
                {
                    Check(commit, "PullRequestCommit", lacking);
                    if (commit["commit"] is JsonObject inner) Check(inner, "Commit", lacking);
                }
                foreach (var review in Items(pr, "reviews")) Check(review, "PullRequestReview", lacking);
                foreach (var comment in Items(pr, "comments")) Check(comment, "IssueComment", lacking);
                foreach (var label in Items(pr, "labels")) Check(label, "Label", lacking);
                foreach (var thread in Items(pr, "reviewThreads"))
                {
                    Check(thread, "PullRequestReviewThread", lacking);
                    foreach (var comment in Items(thread, "comments")) Check(comment, "PullRequestReviewComment", lacking);
                }
            }
            foreach (var issue in Items(repo, "issues"))
            {
                Check(issue, "Issue", lacking);
                foreach (var comment in Items(issue, "comments")) Check(comment, "IssueComment", lacking);
                foreach (var label in Items(issue, "labels")) Check(label, "Label", lacking);
            }
        }
        return new JsonArray([.. lacking.Select(f => (JsonNode)f)]);
    }

    private static IEnumerable<JsonObject> Items(JsonObject parent, string field) => (parent[field] as JsonArray ?? []).OfType<JsonObject>();

    private static void Check(JsonObject item, string type, SortedSet<string> lacking)
    {
        foreach (var field in Format[type])
        {
            if (item[field] is not null || lacking.Contains($"{type}.{field}")) continue;
            if (GitHubTypes.Field(type, field) is { } definition && (definition.ResolvedType is NonNullGraphType || GitHubTypes.IsConnection(definition)))
                lacking.Add($"{type}.{field}");
        }
    }
}
