using System.Globalization;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>The comparable value of a data-set field for ordering and cursors: a number, a time, or text.</summary>
internal static class SortKeys
{
    public static IComparable? Of(JsonNode? value) => value switch
    {
        JsonValue v when QueryValues.AsLong(v) is { } n => n,
        JsonValue v when v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, out var at) => at,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => null,
    };
}
