using System.Globalization;

namespace Pulse.Core.Search;

/// <summary>
/// A search as the CLI and the API take it, as text: the query and its filters checked the same way for both, bad input
/// named in one line. Filters are read through <c>value(name)</c> (null when absent): repo, author, state, kind, since,
/// until (ISO-8601 dates or times, UTC unless an offset is given) and mode (hybrid, keyword, vector).
/// </summary>
public sealed record SearchRequest(SearchQuery? Query, SearchMode Mode, string? Error)
{
    private static readonly string[] States = ["OPEN", "CLOSED", "MERGED"];

    public static SearchRequest Parse(long tenantId, string text, int limit, Func<string, string?> value)
    {
        if (string.IsNullOrWhiteSpace(text)) return Fail("q (the text to look for) is required.");
        if (text.Length > 2000) return Fail("q must be at most 2000 characters.");
        var state = value("state")?.ToUpperInvariant();
        if (state is not null && !States.Contains(state)) return Fail("state must be one of OPEN, CLOSED, MERGED.");
        var kind = value("kind")?.ToLowerInvariant();
        if (kind is not null && !SearchKind.Names.Contains(kind)) return Fail($"kind must be one of {string.Join(", ", SearchKind.Names)}.");
        var mode = SearchMode.Hybrid;
        if (value("mode") is { } m && !Enum.TryParse(m, ignoreCase: true, out mode)) return Fail("mode must be one of hybrid, keyword, vector.");
        if (!TryTime(value("since"), out var since)) return Fail("since must be an ISO-8601 date, e.g. 2025-01-31 or 2025-01-31T12:00:00Z.");
        if (!TryTime(value("until"), out var until)) return Fail("until must be an ISO-8601 date, e.g. 2025-01-31 or 2025-01-31T12:00:00Z.");
        if (since is not null && until is not null && until <= since) return Fail("until must be later than since.");
        var query = new SearchQuery(tenantId, text, limit)
        {
            Repository = value("repo"), Author = value("author"), State = state, Kind = kind, Since = since, Until = until,
        };
        return new SearchRequest(query, mode, null);
    }

    private static SearchRequest Fail(string error) => new(null, SearchMode.Hybrid, error);

    private static bool TryTime(string? raw, out DateTimeOffset? time)
    {
        time = null;
        if (raw is null) return true;
        if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return false;
        time = t;
        return true;
    }
}
