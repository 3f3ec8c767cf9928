using System.Globalization;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// The items of PullRequest.timelineItems a query asks for, oldest first: the lifecycle events a data set holds
/// under "timelineItems" (DATASET.md) and the union members served from the PR's own arrays. A type the
/// simulator has no record of is refused, never answered as empty: an empty answer would claim GitHub has none.
/// </summary>
internal static class TimelineItems
{
    /// <summary>An event type a data set's "timelineItems" hold: its item type, GraphQL type, id prefix, and whether it has a url.</summary>
    public sealed record EventType(string ItemType, string TypeName, string IdPrefix, bool HasUrl);

    public static readonly IReadOnlyList<EventType> EventTypes =
    [
        new("READY_FOR_REVIEW_EVENT", "ReadyForReviewEvent", "RFRE", HasUrl: true),
        new("CONVERT_TO_DRAFT_EVENT", "ConvertToDraftEvent", "CTDE", HasUrl: true),
        new("REVIEW_REQUESTED_EVENT", "ReviewRequestedEvent", "RRE", HasUrl: false),
        new("REVIEW_REQUEST_REMOVED_EVENT", "ReviewRequestRemovedEvent", "RRRE", HasUrl: false),
        new("HEAD_REF_FORCE_PUSHED_EVENT", "HeadRefForcePushedEvent", "HRFPE", HasUrl: false),
        new("MERGED_EVENT", "MergedEvent", "ME", HasUrl: true),
        new("CLOSED_EVENT", "ClosedEvent", "CE", HasUrl: true),
        new("REOPENED_EVENT", "ReopenedEvent", "REE", HasUrl: false),
    ];

    /// <summary>The GraphQL type of each event item type.</summary>
    public static readonly IReadOnlyDictionary<string, string> Events = EventTypes.ToDictionary(e => e.ItemType, e => e.TypeName, StringComparer.Ordinal);

    /// <summary>The event type of a GraphQL type name; throws for a type that is not a timeline event.</summary>
    public static EventType Event(string typeName) => EventTypes.Single(e => e.TypeName == typeName);

    /// <summary>Union members kept in the PR's own arrays, and the time that places each in the timeline.</summary>
    private static readonly Dictionary<string, (string Array, string Time, Func<JsonObject, JsonNode?> TimeOf)> FromArrays = new(StringComparer.Ordinal)
    {
        ["PULL_REQUEST_COMMIT"] = ("commits", "Commit.committedDate", c => c["commit"]?["committedDate"]),
        ["PULL_REQUEST_REVIEW"] = ("reviews", "PullRequestReview.createdAt", r => r["createdAt"]),
        ["ISSUE_COMMENT"] = ("comments", "IssueComment.createdAt", c => c["createdAt"]),
        ["PULL_REQUEST_REVIEW_THREAD"] = ("reviewThreads", "PullRequestReviewComment.createdAt", t => (t["comments"] as JsonArray)?.FirstOrDefault()?["createdAt"]),
    };

    public static bool IsEvent(string typeName) => EventTypes.Any(e => e.TypeName == typeName);

    /// <summary>Every item type served, for error messages.</summary>
    public static string Served => string.Join(", ", Events.Keys.Concat(FromArrays.Keys));

    /// <summary>
    /// The items of <paramref name="itemTypes"/> created at or after <paramref name="since"/>, ordered by time
    /// (ties keep the data set's order, events first); null and an error when the query asks for what is not served.
    /// </summary>
    public static List<JsonNode?>? Select(JsonObject pr, JsonArray? itemTypes, JsonNode? since, out string? error)
    {
        error = null;
        if (itemTypes is null || itemTypes.Count == 0)
        {
            error = $"The simulator does not serve PullRequest.timelineItems without itemTypes: GitHub's whole timeline holds item types no data set records. It serves {Served}.";
            return null;
        }
        var wanted = itemTypes.Select(t => (string?)t ?? "").ToHashSet(StringComparer.Ordinal);
        var unserved = wanted.Where(t => !Events.ContainsKey(t) && !FromArrays.ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
        if (unserved.Count > 0)
        {
            error = $"The simulator does not serve PullRequest.timelineItems of type {string.Join(", ", unserved)}; it serves {Served}.";
            return null;
        }
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (Time(since) is not { } at)
            {
                error = $"Argument 'since' on Field 'timelineItems' has an invalid value ({since.ToJsonString()}). Expected type 'DateTime'.";
                return null;
            }
            from = at;
        }
        var eventTypes = wanted.Where(Events.ContainsKey).Select(t => Events[t]).ToHashSet(StringComparer.Ordinal);
        var items = new List<(DateTimeOffset At, JsonNode Item)>();
        foreach (var item in (pr["timelineItems"] as JsonArray ?? []).OfType<JsonObject>())
            if (eventTypes.Contains((string?)item["__typename"] ?? "") && !Add(items, item, item["createdAt"], $"{item["__typename"]}.createdAt", out error))
                return null;
        foreach (var type in wanted.Where(FromArrays.ContainsKey).Order(StringComparer.Ordinal))
        {
            var (array, time, timeOf) = FromArrays[type];
            foreach (var item in (pr[array] as JsonArray ?? []).OfType<JsonObject>())
                if (!Add(items, item, timeOf(item), time, out error))
                    return null;
        }
        return [.. items.Where(i => from is null || i.At >= from).OrderBy(i => i.At).Select(i => (JsonNode?)i.Item)];
    }

    private static bool Add(List<(DateTimeOffset, JsonNode)> items, JsonObject item, JsonNode? time, string field, out string? error)
    {
        error = null;
        if (Time(time) is { } at)
        {
            items.Add((at, item));
            return true;
        }
        error = $"The data set has no {field} for {(string?)item["id"] ?? "an item without an id"}: PullRequest.timelineItems places items by it.";
        return false;
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
