namespace Pulse.Core.Search;

/// <summary>A hit's text on one line, cut around the first query word it holds so the reader sees why it matched.</summary>
public static class SearchSnippet
{
    public const int Length = 160;

    public static string Around(string text, IReadOnlyList<SearchTerm> terms)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length <= Length) return flat;
        var at = terms.Select(t => flat.IndexOf(t.Token, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var start = Math.Max(0, Math.Min(at - Length / 4, flat.Length - Length));
        return (start > 0 ? "…" : "") + flat.Substring(start, Length) + (start + Length < flat.Length ? "…" : "");
    }
}
