using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// What the simulator implements beyond reading a value from the data set: its query roots, and the arguments each
/// field honours besides paging. Anything else a query asks for is answered with an error naming it, never with a
/// made-up value or an ignored filter (shared/github/DATASET.md).
/// </summary>
internal static class ServedFields
{
    private static readonly HashSet<string> Roots = new(StringComparer.Ordinal)
        { "repository", "organization", "user", "repositoryOwner", "viewer", "node", "nodes", "rateLimit" };

    private static readonly HashSet<string> Paging = new(StringComparer.Ordinal) { "first", "last", "after", "before" };

    private static readonly Dictionary<string, HashSet<string>> Arguments = new(StringComparer.Ordinal)
    {
        // followRenames only changes answers for renamed repositories, which a data set does not hold.
        ["Query.repository"] = ["owner", "name", "followRenames"],
        ["Query.organization"] = ["login"],
        ["Query.user"] = ["login"],
        ["Query.repositoryOwner"] = ["login"],
        ["Query.node"] = ["id"],
        ["Query.nodes"] = ["ids"],
        ["Query.rateLimit"] = ["dryRun"],
        // Served by the timeline items of DATASET.md (branch sim-timeline): listed so its filters are not refused here.
        ["PullRequest.timelineItems"] = ["itemTypes", "since", "skip"],
        ["Repository.pullRequests"] = ["states", "orderBy", "baseRefName", "headRefName", "labels"],
        ["Repository.pullRequest"] = ["number"],
        ["Repository.issues"] = ["states", "orderBy", "labels"],
        ["Repository.issue"] = ["number"],
        ["PullRequest.comments"] = ["orderBy"],
        ["Issue.comments"] = ["orderBy"],
        ["Organization.repositories"] = ["orderBy"],
        ["User.repositories"] = ["orderBy"],
        ["Organization.repository"] = ["name", "followRenames"],
        ["User.repository"] = ["name", "followRenames"],
    };

    /// <summary>The connections a data set holds as arrays, per type: absent from an object, they are a gap in the data.</summary>
    private static readonly Dictionary<string, HashSet<string>> DataSetArrays = new(StringComparer.Ordinal)
    {
        ["PullRequest"] = ["labels", "assignees", "commits", "reviews", "comments", "reviewThreads"],
        ["Issue"] = ["labels", "comments"],
        ["PullRequestReviewThread"] = ["comments"],
    };

    public static bool IsRoot(string name) => Roots.Contains(name);

    public static bool IsDataSetArray(string typeName, string fieldName) =>
        DataSetArrays.TryGetValue(typeName, out var fields) && fields.Contains(fieldName);

    /// <summary>The first argument given a value that the simulator does not honour on this field, or null.</summary>
    public static string? UnservedArgument(string typeName, GraphQLField field, bool isConnection, JsonObject variables)
    {
        if (field.Arguments is null) return null;
        var served = Arguments.GetValueOrDefault($"{typeName}.{field.Name.StringValue}");
        foreach (var argument in field.Arguments.Items)
        {
            var name = argument.Name.StringValue;
            if ((isConnection && Paging.Contains(name)) || served?.Contains(name) == true) continue;
            // An argument given null is an argument not given.
            if (QueryValues.Evaluate(argument.Value, variables) is null) continue;
            return name;
        }
        return null;
    }

    public static string NotServed(string typeName, string fieldName) => $"The simulator does not serve {typeName}.{fieldName}";

    public static string NotServedArgument(string typeName, string fieldName, string argument) =>
        $"The simulator does not serve the argument {argument} of {typeName}.{fieldName}";
}
