using System.Globalization;
using System.Text.Json;

namespace Pulse.Core.Transform;

/// <summary>Null-tolerant readers over GitHub's JSON: absent and null read the same.</summary>
internal static class Json
{
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string? Str(this JsonElement e, string name) => e.Prop(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public static string ReqStr(this JsonElement e, string name) =>
        e.Str(name) ?? throw new InvalidDataException($"GitHub sent no '{name}' where its schema promises one.");

    public static int? Int(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;

    public static long? Long(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var i) ? i : null;

    public static bool Bool(this JsonElement e, string name) => e.Prop(name) is { ValueKind: JsonValueKind.True };

    /// <summary>A timestamp, or null when absent or empty (recordings lack some; a stand-in "" is not a time).</summary>
    public static DateTimeOffset? Date(this JsonElement e, string name) =>
        e.Str(name) is { Length: > 0 } s
            ? DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
                ? d : throw new InvalidDataException($"GitHub sent '{s}' as {name}, which is not a timestamp.")
            : null;

    public static DateTimeOffset ReqDate(this JsonElement e, string name) =>
        e.Date(name) ?? throw new InvalidDataException($"GitHub sent no '{name}' where its schema promises one.");

    /// <summary>The login of an Actor, or null for a deleted ("ghost") account.</summary>
    public static string? Login(this JsonElement e, string name) => e.Prop(name) is { } actor ? actor.Str("login") : null;

    public static string? ActorType(this JsonElement e, string name) => e.Prop(name) is { } actor ? actor.Str("__typename") : null;

    public static int TotalCount(this JsonElement e, string connection) => e.Prop(connection) is { } c ? c.Int("totalCount") ?? 0 : 0;

    public static IEnumerable<JsonElement> Nodes(this JsonElement connection) =>
        connection.Prop("nodes") is { ValueKind: JsonValueKind.Array } nodes
            ? nodes.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object)
            : [];
}
