using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.Data;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>Ordering and filtering of Repository.pullRequests/issues, comments and Owner.repositories, as GitHub does it.</summary>
internal static class PullRequests
{
    /// <summary>states filter, then orderBy {field, direction} (default CREATED_AT ASC); ties by databaseId.</summary>
    public static IReadOnlyList<JsonNode?> Select(RepositoryRecord repo, GraphQLField field, JsonObject variables)
    {
        var wanted = QueryValues.Argument(field, "states", variables) is JsonArray { Count: > 0 } states
            ? states.Select(s => (string?)s).ToHashSet()
            : null;
        var orderBy = QueryValues.Argument(field, "orderBy", variables) as JsonObject;
        var key = (string?)orderBy?["field"] == "UPDATED_AT" ? "updatedAt" : "createdAt";
        var descending = (string?)orderBy?["direction"] == "DESC";
        var cacheKey = $"{key}|{descending}|{(wanted is null ? "" : string.Join(",", wanted.Order(StringComparer.Ordinal)))}";
        return repo.PullRequestOrders.GetOrAdd(cacheKey, _ =>
        {
            IEnumerable<JsonObject> prs = repo.PullRequests;
            if (wanted is not null) prs = prs.Where(p => wanted.Contains((string?)p["state"]));
            return Order(prs, key, descending).ToArray<JsonNode?>();
        });
    }

    /// <summary>Repository.issues: states filter, then orderBy {field, direction} (default CREATED_AT ASC); ties by databaseId.</summary>
    public static List<JsonNode?> Issues(RepositoryRecord repo, GraphQLField field, JsonObject variables)
    {
        IEnumerable<JsonObject> issues = repo.Issues;
        if (QueryValues.Argument(field, "states", variables) is JsonArray { Count: > 0 } states)
        {
            var wanted = states.Select(s => (string?)s).ToHashSet();
            issues = issues.Where(i => wanted.Contains((string?)i["state"]));
        }
        var orderBy = QueryValues.Argument(field, "orderBy", variables) as JsonObject;
        var descending = (string?)orderBy?["direction"] == "DESC";
        Func<JsonObject, IComparable?> key = (string?)orderBy?["field"] switch
        {
            // The comment count is the stored list's length (padded to the recorded totalCount).
            "COMMENTS" => i => (long)((i["comments"] as JsonArray)?.Count ?? 0),
            "UPDATED_AT" => i => SortKey(i["updatedAt"]),
            _ => i => SortKey(i["createdAt"]),
        };
        // Placeholders (recorded only as a count) have no date; they stay at the end, in order.
        var list = issues.ToList();
        return [.. Order(list.Where(i => key(i) is not null), key, descending), .. list.Where(i => key(i) is null)];
    }

    /// <summary>
    /// Issue and pull-request comments: oldest first as stored, or orderBy {UPDATED_AT, direction}.
    /// Placeholders (recorded only as a count) have no time and stay at the end, in order.
    /// </summary>
    public static List<JsonNode?> Comments(JsonArray comments, GraphQLField field, JsonObject variables)
    {
        if (QueryValues.Argument(field, "orderBy", variables) is not JsonObject orderBy) return [.. comments];
        var objects = comments.OfType<JsonObject>().ToList();
        var dated = objects.Where(c => c["updatedAt"] is not null);
        var undated = objects.Where(c => c["updatedAt"] is null);
        return [.. Order(dated, "updatedAt", (string?)orderBy["direction"] == "DESC"), .. undated];
    }

    public static List<JsonNode?> Repositories(OwnerRecord owner, GraphQLField field, JsonObject variables)
    {
        var repos = owner.Repositories.Select(r => r.Json);
        if (QueryValues.Argument(field, "orderBy", variables) is not JsonObject orderBy) return repos.ToList<JsonNode?>();
        var descending = (string?)orderBy["direction"] == "DESC";
        var key = (string?)orderBy["field"] switch
        {
            "NAME" => "name",
            "UPDATED_AT" => "updatedAt",
            "PUSHED_AT" => "pushedAt",
            "STARGAZERS" => "stargazerCount",
            _ => "createdAt",
        };
        return Order(repos, key, descending).ToList<JsonNode?>();
    }

    private static IEnumerable<JsonObject> Order(IEnumerable<JsonObject> items, string key, bool descending) =>
        Order(items, j => SortKey(j[key]), descending);

    private static IEnumerable<JsonObject> Order(IEnumerable<JsonObject> items, Func<JsonObject, IComparable?> key, bool descending)
    {
        var keyed = items.Select(j => (Json: j, Key: key(j), Id: QueryValues.AsLong(j["databaseId"]) ?? 0));
        var ordered = descending
            ? keyed.OrderByDescending(x => x.Key, Comparer<IComparable?>.Default).ThenByDescending(x => x.Id)
            : keyed.OrderBy(x => x.Key, Comparer<IComparable?>.Default).ThenBy(x => x.Id);
        return ordered.Select(x => x.Json);
    }

    private static IComparable? SortKey(JsonNode? value) => value switch
    {
        JsonValue v when QueryValues.AsLong(v) is { } n => n,
        JsonValue v when v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var at) => at,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => null,
    };
}
