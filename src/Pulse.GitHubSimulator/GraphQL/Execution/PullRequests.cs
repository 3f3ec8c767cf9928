using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.Data;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>Ordering and filtering of Repository.pullRequests and Owner.repositories, as GitHub does it.</summary>
internal static class PullRequests
{
    /// <summary>states filter, then orderBy {field, direction} (default CREATED_AT ASC); ties by databaseId.</summary>
    public static List<JsonNode?> Select(RepositoryRecord repo, GraphQLField field, JsonObject variables)
    {
        IEnumerable<JsonObject> prs = repo.PullRequests;
        if (QueryValues.Argument(field, "states", variables) is JsonArray { Count: > 0 } states)
        {
            var wanted = states.Select(s => (string?)s).ToHashSet();
            prs = prs.Where(p => wanted.Contains((string?)p["state"]));
        }
        var orderBy = QueryValues.Argument(field, "orderBy", variables) as JsonObject;
        var key = (string?)orderBy?["field"] == "UPDATED_AT" ? "updatedAt" : "createdAt";
        return Order(prs, key, (string?)orderBy?["direction"] == "DESC").ToList<JsonNode?>();
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

    private static IEnumerable<JsonObject> Order(IEnumerable<JsonObject> items, string key, bool descending)
    {
        var keyed = items.Select(j => (Json: j, Key: SortKey(j[key]), Id: QueryValues.AsLong(j["databaseId"]) ?? 0));
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
