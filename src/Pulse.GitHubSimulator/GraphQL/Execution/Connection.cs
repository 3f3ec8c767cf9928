using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// One page of a connection, paged as graphql-ruby does: after/before cut the list, first/last
/// take from its front/back; hasNextPage is true when first or before left items behind,
/// hasPreviousPage when last or after did. Cursors name places by key (<see cref="PageOrder"/>).
/// </summary>
internal sealed class Connection
{
    public required IReadOnlyList<JsonNode?> All { get; init; }
    public required PageOrder Order { get; init; }
    public int Start { get; private init; }
    public int End { get; private init; }
    public bool HasNextPage { get; private init; }
    public bool HasPreviousPage { get; private init; }

    public int TotalCount => All.Count;

    /// <summary>Items left between the after/before cursors, before skip and first/last take their share.</summary>
    public int FilteredCount { get; private init; }

    public IEnumerable<int> Positions => Enumerable.Range(Start, End - Start);

    public string Cursor(int position) => Order.Cursor(All, position);

    /// <summary>
    /// Pages <paramref name="items"/>; a cursor that is not ours yields null and an error message. <paramref name="skip"/>
    /// (timelineItems only) drops items after the cursor cut, before first/last.
    /// </summary>
    public static Connection? Page(IReadOnlyList<JsonNode?> items, PageOrder order, long? first, long? last, string? after, string? before, out string? error, long skip = 0)
    {
        error = null;
        var start = 0;
        var end = items.Count;
        if (after is not null)
        {
            if (order.After(items, after) is not { } a) { error = $"`{after}` does not appear to be a valid cursor."; return null; }
            start = a;
        }
        if (before is not null)
        {
            if (order.Before(items, before) is not { } b) { error = $"`{before}` does not appear to be a valid cursor."; return null; }
            end = Math.Max(start, b);
        }
        var sliceStart = start;
        var sliceEnd = end;
        start = (int)Math.Min(end, start + skip);
        if (first is { } f) end = (int)Math.Min(end, start + f);
        if (last is { } l) start = (int)Math.Max(start, end - l);
        return new Connection
        {
            All = items,
            Order = order,
            Start = start,
            End = end,
            FilteredCount = sliceEnd - sliceStart,
            HasNextPage = (first is not null && sliceEnd > end) || (before is not null && sliceEnd < items.Count),
            HasPreviousPage = ((last is not null || skip > 0) && start > sliceStart) || after is not null,
        };
    }
}

/// <summary>An edge of a connection page: its cursor and node.</summary>
internal sealed record Edge(Connection Connection, int Position);

/// <summary>The pageInfo of a connection page.</summary>
internal sealed record PageInfo(Connection Connection);
