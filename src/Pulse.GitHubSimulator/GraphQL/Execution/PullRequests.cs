using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.Data;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>The items of a connection in the order GitHub pages them, or why the simulator refuses the arguments.</summary>
internal readonly record struct Ordered(IReadOnlyList<JsonNode?> Items, PageOrder Order, string? Refused = null)
{
    public static Ordered Refuse(string message) => new([], PageOrder.Positions, message);
}

/// <summary>Ordering and filtering of Repository.pullRequests/issues, comments and Owner.repositories, as GitHub does it.</summary>
internal static class PullRequests
{
    /// <summary>
    /// states, baseRefName, headRefName and labels (any of the names) filter; orderBy {CREATED_AT|UPDATED_AT, direction}
    /// orders (default CREATED_AT ASC); ties by databaseId.
    /// </summary>
    public static Ordered Select(RepositoryRecord repo, GraphQLField field, JsonObject variables)
    {
        var states = Names(QueryValues.Argument(field, "states", variables));
        var labels = Names(QueryValues.Argument(field, "labels", variables));
        var baseRef = (string?)QueryValues.Argument(field, "baseRefName", variables);
        var headRef = (string?)QueryValues.Argument(field, "headRefName", variables);
        var orderBy = QueryValues.Argument(field, "orderBy", variables) as JsonObject;
        var orderField = (string?)orderBy?["field"] ?? "CREATED_AT";
        if (orderField is not ("CREATED_AT" or "UPDATED_AT"))
            return Ordered.Refuse(ServedFields.NotServed("Repository", $"pullRequests(orderBy: {{field: {orderField}}})"));
        var key = orderField == "UPDATED_AT" ? "updatedAt" : "createdAt";
        var descending = (string?)orderBy?["direction"] == "DESC";
        var cacheKey = $"{key}|{descending}|{Join(states)}|{Join(labels)}|{baseRef}|{headRef}";
        var items = repo.PullRequestOrders.GetOrAdd(cacheKey, _ =>
        {
            IEnumerable<JsonObject> prs = repo.PullRequests;
            if (states is not null) prs = prs.Where(p => states.Contains((string?)p["state"] ?? ""));
            if (baseRef is not null) prs = prs.Where(p => (string?)p["baseRefName"] == baseRef);
            if (headRef is not null) prs = prs.Where(p => (string?)p["headRefName"] == headRef);
            if (labels is not null) prs = prs.Where(p => (p["labels"] as JsonArray ?? []).Any(l => labels.Contains((string?)l?["name"] ?? "")));
            return Order(prs, key, descending).ToArray<JsonNode?>();
        });
        return new Ordered(items, PageOrder.By(key, descending));
    }

    /// <summary>Repository.issues: states and labels filter, then orderBy {field, direction} (default CREATED_AT ASC); ties by databaseId.</summary>
    public static Ordered Issues(RepositoryRecord repo, GraphQLField field, JsonObject variables)
    {
        IEnumerable<JsonObject> issues = repo.Issues;
        if (Names(QueryValues.Argument(field, "states", variables)) is { } states) issues = issues.Where(i => states.Contains((string?)i["state"] ?? ""));
        if (Names(QueryValues.Argument(field, "labels", variables)) is { } labels)
            issues = issues.Where(i => (i["labels"] as JsonArray ?? []).Any(l => labels.Contains((string?)l?["name"] ?? "")));
        var orderBy = QueryValues.Argument(field, "orderBy", variables) as JsonObject;
        var descending = (string?)orderBy?["direction"] == "DESC";
        var orderField = (string?)orderBy?["field"];
        Func<JsonObject, IComparable?> key = orderField switch
        {
            // The comment count is the stored list's length (padded to the recorded totalCount).
            "COMMENTS" => i => (long)((i["comments"] as JsonArray)?.Count ?? 0),
            "UPDATED_AT" => i => SortKeys.Of(i["updatedAt"]),
            _ => i => SortKeys.Of(i["createdAt"]),
        };
        // Placeholders (recorded only as a count) have no date; they stay at the end, in order.
        var list = issues.ToList();
        List<JsonNode?> ordered = [.. Order(list.Where(i => key(i) is not null), key, descending), .. list.Where(i => key(i) is null)];
        return new Ordered(ordered, orderField switch
        {
            "COMMENTS" => PageOrder.Positions,
            "UPDATED_AT" => PageOrder.By("updatedAt", descending),
            _ => PageOrder.By("createdAt", descending),
        });
    }

    /// <summary>
    /// Issue and pull-request comments: oldest first as stored, or orderBy {UPDATED_AT, direction}.
    /// Placeholders (recorded only as a count) have no time and stay at the end, in order.
    /// </summary>
    public static Ordered Comments(JsonArray comments, GraphQLField field, JsonObject variables)
    {
        if (QueryValues.Argument(field, "orderBy", variables) is not JsonObject orderBy) return Natural([.. comments]);
        var descending = (string?)orderBy["direction"] == "DESC";
        var objects = comments.OfType<JsonObject>().ToList();
        var dated = objects.Where(c => c["updatedAt"] is not null);
        var undated = objects.Where(c => c["updatedAt"] is null);
        return new Ordered([.. Order(dated, "updatedAt", descending), .. undated], PageOrder.By("updatedAt", descending));
    }

    public static Ordered Repositories(OwnerRecord owner, GraphQLField field, JsonObject variables)
    {
        var repos = owner.Repositories.Select(r => r.Json);
        if (QueryValues.Argument(field, "orderBy", variables) is not JsonObject orderBy) return Natural(repos.ToList<JsonNode?>());
        var descending = (string?)orderBy["direction"] == "DESC";
        var key = (string?)orderBy["field"] switch
        {
            "NAME" => "name",
            "UPDATED_AT" => "updatedAt",
            "PUSHED_AT" => "pushedAt",
            "STARGAZERS" => "stargazerCount",
            _ => "createdAt",
        };
        return new Ordered(Order(repos, key, descending).ToList<JsonNode?>(), PageOrder.By(key, descending));
    }

    /// <summary>A stored array in its natural order (oldest first).</summary>
    public static Ordered Natural(IReadOnlyList<JsonNode?> items) => new(items, PageOrder.Natural());

    private static HashSet<string>? Names(JsonNode? argument) =>
        argument is JsonArray { Count: > 0 } names ? names.Select(s => (string?)s ?? "").ToHashSet(StringComparer.Ordinal) : null;

    private static string Join(HashSet<string>? names) => names is null ? "" : string.Join(",", names.Order(StringComparer.Ordinal));

    private static IEnumerable<JsonObject> Order(IEnumerable<JsonObject> items, string key, bool descending) =>
        Order(items, j => SortKeys.Of(j[key]), descending);

    private static IEnumerable<JsonObject> Order(IEnumerable<JsonObject> items, Func<JsonObject, IComparable?> key, bool descending)
    {
        var keyed = items.Select(j => (Json: j, Key: key(j), Id: QueryValues.AsLong(j["databaseId"]) ?? 0));
        var ordered = descending
            ? keyed.OrderByDescending(x => x.Key, Comparer<IComparable?>.Default).ThenByDescending(x => x.Id)
            : keyed.OrderBy(x => x.Key, Comparer<IComparable?>.Default).ThenBy(x => x.Id);
        return ordered.Select(x => x.Json);
    }
}
