using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

/// <summary>An Organization or User; <see cref="Json"/> carries login and __typename.</summary>
internal sealed class OwnerRecord(JsonObject json)
{
    public JsonObject Json { get; } = json;
    public string Login => (string)Json["login"]!;
    public List<RepositoryRecord> Repositories { get; } = [];
}

/// <summary>
/// A repository; its pull requests live apart from <see cref="Json"/> so each PR is its own JSON root.
/// Its issues stay inside <see cref="Json"/> (under "issues", as the data set holds them).
/// </summary>
internal sealed class RepositoryRecord(JsonObject json, OwnerRecord owner)
{
    public JsonObject Json { get; } = json;
    public OwnerRecord Owner { get; } = owner;
    public string Name => (string)Json["name"]!;
    public string NameWithOwner => $"{Owner.Login}/{Name}";
    public List<JsonObject> PullRequests { get; } = [];
    public Dictionary<long, JsonObject> ByNumber { get; } = [];
    public IEnumerable<JsonObject> Issues => (Json["issues"] as JsonArray ?? []).OfType<JsonObject>();
    public Dictionary<long, JsonObject> IssuesByNumber { get; } = [];

    /// <summary>
    /// Sorted pull request lists by "field|direction|states", so paging does not re-sort the whole
    /// repository per page. Readers fill it under the store's read lock; the store clears it on every change.
    /// </summary>
    public ConcurrentDictionary<string, JsonNode?[]> PullRequestOrders { get; } = new(StringComparer.Ordinal);
}

/// <summary>An object with an id, with the GraphQL type it is served as.</summary>
internal readonly record struct IndexedNode(JsonObject Json, string TypeName);

/// <summary>The GraphQL type of each nested array of a pull request (DATASET.md).</summary>
internal static class PullRequestArrays
{
    public static readonly IReadOnlyDictionary<string, string> TypeOf = new Dictionary<string, string>
    {
        ["labels"] = "Label",
        ["commits"] = "PullRequestCommit",
        ["reviews"] = "PullRequestReview",
        ["comments"] = "IssueComment",
        ["reviewThreads"] = "PullRequestReviewThread",
    };
}

/// <summary>The GraphQL type of each nested array of an issue.</summary>
internal static class IssueArrays
{
    public static readonly IReadOnlyDictionary<string, string> TypeOf = new Dictionary<string, string>
    {
        ["labels"] = "Label",
        ["comments"] = "IssueComment",
    };
}
