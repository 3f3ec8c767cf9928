using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// Turns recorded GraphQL answers into data-set shapes: every connection object
/// ({totalCount, nodes|edges, pageInfo}) becomes a plain array of its nodes, padded with empty
/// placeholder objects up to totalCount, so a replay reports the recorded totalCount.
/// </summary>
internal static class RecordedConnections
{
    private static readonly string[] ActorFields = ["author", "editor", "mergedBy", "resolvedBy", "actor"];

    public static JsonNode? Flatten(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(Flatten)]);
            case JsonObject o when IsConnection(o):
                var items = new JsonArray();
                if (o["nodes"] is JsonArray nodes) foreach (var n in nodes) items.Add(Flatten(n));
                else if (o["edges"] is JsonArray edges) foreach (var e in edges) items.Add(Flatten(e?["node"]));
                var total = o["totalCount"]?.GetValue<int>() ?? items.Count;
                while (items.Count < total) items.Add(new JsonObject());
                return items;
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                    if (key != "timelineItems") copy[key] = Flatten(value);
                    else if (RecordedTimeline.Events(value) is { } events) copy[key] = events;
                foreach (var actor in ActorFields)
                    if (copy[actor] is JsonObject a && a["__typename"] is null) a["__typename"] = ActorType(a);
                return copy;
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsConnection(JsonObject o) =>
        o.Count > 0 && o.All(p => p.Key is "totalCount" or "nodes" or "edges" or "pageInfo")
        && (o.ContainsKey("totalCount") || o.ContainsKey("nodes") || o.ContainsKey("edges"));

    /// <summary>Recordings rarely carry __typename; a "[bot]"-style login or an apps URL marks a Bot, the rest are users.</summary>
    private static string ActorType(JsonObject actor)
    {
        var login = (string?)actor["login"] ?? "";
        var url = (string?)actor["url"] ?? "";
        return login.EndsWith("[bot]", StringComparison.Ordinal) || url.Contains("/apps/", StringComparison.Ordinal) ? "Bot" : "User";
    }
}
