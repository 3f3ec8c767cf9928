using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// How a connection's items are ordered, so that a cursor names a place by the item's key, as GitHub's do
/// ("cursor:v2:" + [updatedAt, id] for an UPDATED_AT order, [id] for the natural one): an item edited or removed
/// while a client pages moves or vanishes without shifting the others, so nothing is repeated or skipped for it.
/// A PR's commits are paged by position, as GitHub does ("MQ" is base64 of "1"); so are lists whose items have
/// no databaseId to key on. The cursor's bytes differ from GitHub's msgpack; clients treat cursors as opaque.
/// </summary>
internal abstract class PageOrder
{
    private const string Prefix = "cursor:v2:";

    /// <summary>
    /// The natural order (oldest first) keyed by databaseId, or by position when an item has none. Which of the two is
    /// settled when a cursor is first written or read: most pages (a count, a first page without edges) need none, and
    /// settling it reads every item of the list.
    /// </summary>
    public static PageOrder Natural() => new IdOrPosition();

    public static readonly PageOrder Positions = new ByPosition();

    /// <summary>Sorted by <paramref name="field"/> then databaseId, both in <paramref name="descending"/> order.</summary>
    public static PageOrder By(string field, bool descending) => new ByValue(field, descending);

    public abstract string Cursor(IReadOnlyList<JsonNode?> items, int position);

    /// <summary>The position of the first item after the cursor's place, or null when the cursor is not one of ours.</summary>
    public abstract int? After(IReadOnlyList<JsonNode?> items, string cursor);

    /// <summary>The position of the first item at or past the cursor's place (the end of a before: page).</summary>
    public virtual int? Before(IReadOnlyList<JsonNode?> items, string cursor) => After(items, cursor) is { } after ? AtOrPast(items, cursor, after) : null;

    protected virtual int AtOrPast(IReadOnlyList<JsonNode?> items, string cursor, int after) => after;

    protected static string Keyed(JsonArray key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + key.ToJsonString()));

    protected static JsonArray? Key(string cursor)
    {
        var text = Decode(cursor);
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        try
        {
            return JsonNode.Parse(text[Prefix.Length..]) as JsonArray;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    protected static string? Decode(string cursor)
    {
        var padded = cursor.PadRight(cursor.Length + (4 - cursor.Length % 4) % 4, '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>One connection's natural order: its items never change while it is paged (the store's read lock is held).</summary>
    private sealed class IdOrPosition : PageOrder
    {
        private static readonly PageOrder Id = new ById();

        private PageOrder? _settled;

        private PageOrder Settled(IReadOnlyList<JsonNode?> items) =>
            _settled ??= items.All(i => QueryValues.AsLong(i?["databaseId"]) is not null) ? Id : Positions;

        public override string Cursor(IReadOnlyList<JsonNode?> items, int position) => Settled(items).Cursor(items, position);

        public override int? After(IReadOnlyList<JsonNode?> items, string cursor) => Settled(items).After(items, cursor);

        public override int? Before(IReadOnlyList<JsonNode?> items, string cursor) => Settled(items).Before(items, cursor);
    }

    private sealed class ByPosition : PageOrder
    {
        public override string Cursor(IReadOnlyList<JsonNode?> items, int position) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes((position + 1).ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

        public override int? After(IReadOnlyList<JsonNode?> items, string cursor) =>
            int.TryParse(Decode(cursor), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? Math.Min(n, items.Count) : null;

        protected override int AtOrPast(IReadOnlyList<JsonNode?> items, string cursor, int after) => Math.Max(0, after - 1);
    }

    private sealed class ById : PageOrder
    {
        public override string Cursor(IReadOnlyList<JsonNode?> items, int position) => Keyed([QueryValues.AsLong(items[position]?["databaseId"])]);

        public override int? After(IReadOnlyList<JsonNode?> items, string cursor)
        {
            if (Key(cursor) is not [var idNode] || QueryValues.AsLong(idNode) is not { } id) return null;
            // The item itself when it is still there; else the first one created after it.
            for (var i = 0; i < items.Count; i++)
                if (QueryValues.AsLong(items[i]?["databaseId"]) == id) return i + 1;
            for (var i = 0; i < items.Count; i++)
                if (QueryValues.AsLong(items[i]?["databaseId"]) > id) return i;
            return items.Count;
        }

        protected override int AtOrPast(IReadOnlyList<JsonNode?> items, string cursor, int after) =>
            after > 0 && QueryValues.AsLong(items[after - 1]?["databaseId"]) == QueryValues.AsLong(Key(cursor)![0]) ? after - 1 : after;
    }

    private sealed class ByValue(string field, bool descending) : PageOrder
    {
        public override string Cursor(IReadOnlyList<JsonNode?> items, int position) =>
            Keyed([items[position]?[field]?.DeepClone(), QueryValues.AsLong(items[position]?["databaseId"]) ?? 0]);

        public override int? After(IReadOnlyList<JsonNode?> items, string cursor) =>
            Key(cursor) is [var value, var id] && QueryValues.AsLong(id) is { } databaseId ? FirstPast(items, SortKeys.Of(value), databaseId, strictly: true) : null;

        protected override int AtOrPast(IReadOnlyList<JsonNode?> items, string cursor, int after)
        {
            var key = Key(cursor)!;
            return FirstPast(items, SortKeys.Of(key[0]), QueryValues.AsLong(key[1])!.Value, strictly: false);
        }

        /// <summary>Binary search: the list is sorted by (value, databaseId) in this order's direction.</summary>
        private int FirstPast(IReadOnlyList<JsonNode?> items, IComparable? value, long databaseId, bool strictly)
        {
            int low = 0, high = items.Count;
            while (low < high)
            {
                var mid = (low + high) / 2;
                var cmp = Compare(items[mid], value, databaseId);
                if (cmp > 0 || (!strictly && cmp == 0)) high = mid;
                else low = mid + 1;
            }
            return low;
        }

        /// <summary>Where the item stands against the key, in list order: positive when it comes after.</summary>
        private int Compare(JsonNode? item, IComparable? value, long databaseId)
        {
            var cmp = Comparer<IComparable?>.Default.Compare(SortKeys.Of(item?[field]), value);
            if (cmp == 0) cmp = (QueryValues.AsLong(item?["databaseId"]) ?? 0).CompareTo(databaseId);
            return descending ? -cmp : cmp;
        }
    }
}
