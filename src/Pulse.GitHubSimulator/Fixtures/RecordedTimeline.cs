using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.GraphQL.Execution;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// A recorded PullRequest.timelineItems answer as a data set's "timelineItems": its lifecycle events, never padded to
/// totalCount (GitHub's totalCount counts every item type, so placeholders would stand for events that may not exist).
/// Other union members (commits, reviews, comments) are served from their own arrays, and items recorded without
/// __typename cannot be told apart: both are left out.
/// </summary>
internal static class RecordedTimeline
{
    /// <summary>The events of a recorded connection (or array), oldest first as recorded; null when none were recorded, so the key is left out.</summary>
    public static JsonArray? Events(JsonNode? recorded)
    {
        var items = recorded switch
        {
            JsonArray array => array,
            JsonObject o when o["nodes"] is JsonArray nodes => nodes,
            JsonObject o when o["edges"] is JsonArray edges => new JsonArray([.. edges.Select(e => e?["node"]?.DeepClone())]),
            _ => null,
        };
        if (items is null) return null;
        return new JsonArray([.. items.OfType<JsonObject>()
            .Where(i => i["__typename"] is JsonValue type && type.TryGetValue<string>(out var name) && TimelineItems.IsEvent(name))
            .Select(RecordedConnections.Flatten)]);
    }
}
