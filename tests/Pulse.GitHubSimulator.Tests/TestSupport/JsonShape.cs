using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Tests.TestSupport;

/// <summary>Compares two JSON answers by shape: the same keys, the same array lengths, the same kind of every value.</summary>
internal static class JsonShape
{
    /// <summary>The first difference as "path: what", or null when the shapes agree.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                var missing = e.Select(p => p.Key).Except(a.Select(p => p.Key)).ToList();
                var extra = a.Select(p => p.Key).Except(e.Select(p => p.Key)).ToList();
                if (missing.Count > 0 || extra.Count > 0) return $"{path}: missing [{string.Join(",", missing)}], extra [{string.Join(",", extra)}]";
                foreach (var (key, value) in e)
                    if (Difference(value, a[key], $"{path}.{key}") is { } d) return d;
                return null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count) return $"{path}: {e.Count} items expected, {a.Count} served";
                for (var i = 0; i < e.Count; i++)
                    if (Difference(e[i], a[i], $"{path}[{i}]") is { } d) return d;
                return null;
            case (JsonValue e, JsonValue a):
                return Kind(e) == Kind(a) ? null : $"{path}: {Kind(e)} expected, {Kind(a)} served";
            default:
                return $"{path}: {Describe(expected)} expected, {Describe(actual)} served";
        }
    }

    private static JsonValueKind Kind(JsonValue v) => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : v.GetValueKind();

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind().ToString(),
        _ => node.GetType().Name,
    };
}
