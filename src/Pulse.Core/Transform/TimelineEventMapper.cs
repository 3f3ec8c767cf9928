using System.Text.Json;
using Pulse.Core.Extract;
using Pulse.Core.Storage;

namespace Pulse.Core.Transform;

public static class TimelineEventMapper
{
    /// <summary>The event's row, or null for an item of a type Pulse did not ask for (GitHub adds union members over time).</summary>
    public static TimelineEventRow? Map(JsonElement item, string pullRequestNodeId)
    {
        if (TimelineEventTypes.OfTypeName(item.Str("__typename") ?? "") is not { } type) return null;
        var reviewer = item.Prop("requestedReviewer");
        return new TimelineEventRow(
            pullRequestNodeId, item.ReqStr("id"), type, item.Login("actor"), item.ActorType("actor"),
            reviewer is { } r ? r.Str("login") ?? r.Str("slug") : null, reviewer?.Str("__typename"),
            item.Prop("beforeCommit")?.Str("oid"), item.Prop("afterCommit")?.Str("oid"), item.ReqDate("createdAt"));
    }
}
