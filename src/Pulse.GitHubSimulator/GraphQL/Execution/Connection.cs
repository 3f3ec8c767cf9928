using System.Text;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// One page of a connection, paged as graphql-ruby does: after/before cut the list, first/last
/// take from its front/back; hasNextPage is true when first or before left items behind,
/// hasPreviousPage when last or after did.
/// </summary>
internal sealed class Connection
{
    private const string Prefix = "cursor:v2:";

    public required IReadOnlyList<JsonNode?> All { get; init; }
    public int Start { get; private init; }
    public int End { get; private init; }
    public bool HasNextPage { get; private init; }
    public bool HasPreviousPage { get; private init; }

    public int TotalCount => All.Count;

    /// <summary>Items left between the after/before cursors, before skip and first/last take their share.</summary>
    public int FilteredCount { get; private init; }

    public IEnumerable<int> Positions => Enumerable.Range(Start, End - Start);

    /// <summary>
    /// Pages <paramref name="items"/>; a cursor that is not ours yields null and an error message. <paramref name="skip"/>
    /// (timelineItems only) drops items after the cursor cut, before first/last.
    /// </summary>
    public static Connection? Page(IReadOnlyList<JsonNode?> items, long? first, long? last, string? after, string? before, out string? error, long skip = 0)
    {
        error = null;
        var start = 0;
        var end = items.Count;
        int? afterIndex = null, beforeIndex = null;
        if (after is not null && (afterIndex = Decode(after)) is null) { error = $"`{after}` does not appear to be a valid cursor."; return null; }
        if (before is not null && (beforeIndex = Decode(before)) is null) { error = $"`{before}` does not appear to be a valid cursor."; return null; }
        if (afterIndex is { } a) start = Math.Clamp(a + 1, 0, items.Count);
        if (beforeIndex is { } b) end = Math.Clamp(b, start, items.Count);
        var sliceStart = start;
        var sliceEnd = end;
        start = (int)Math.Min(end, start + skip);
        if (first is { } f) end = (int)Math.Min(end, start + f);
        if (last is { } l) start = (int)Math.Max(start, end - l);
        return new Connection
        {
            All = items,
            Start = start,
            End = end,
            FilteredCount = sliceEnd - sliceStart,
            HasNextPage = (first is not null && sliceEnd > end) || (beforeIndex is not null && beforeIndex < items.Count),
            HasPreviousPage = ((last is not null || skip > 0) && start > sliceStart) || (afterIndex is not null && afterIndex >= 0),
        };
    }

    public static string Cursor(int position) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + (position + 1)));

    private static int? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal) && int.TryParse(text[Prefix.Length..], out var n) && n >= 1 ? n - 1 : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>An edge of a connection page: its cursor and node.</summary>
internal sealed record Edge(Connection Connection, int Position);

/// <summary>The pageInfo of a connection page.</summary>
internal sealed record PageInfo(Connection Connection);
