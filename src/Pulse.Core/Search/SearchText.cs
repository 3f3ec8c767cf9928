using System.Globalization;
using System.Text;

namespace Pulse.Core.Search;

/// <summary>A word of a keyword query: a token of <see cref="SearchText.Index"/>'s alphabet, matched whole or as a prefix.</summary>
public sealed record SearchTerm(string Token, bool Prefix);

/// <summary>
/// The one tokenization keyword search uses on both backends. SQLite's unicode61 splits <c>ERR_CONN_RESET_42</c> and
/// <c>PROJ-1234</c> at every underscore and hyphen; PostgreSQL's parser keeps <c>parseHeaderV2</c> whole, reads
/// <c>PROJ-1234</c> as <c>proj</c> and the number <c>-1234</c> and a path as one token. So the text is indexed as lower-case
/// runs of letters and digits only, which both split alike, and an identifier joined by <c>_</c> or <c>-</c> or written in
/// camelCase is indexed as its parts and as one joined token (<c>err conn reset 42 errconnreset42</c>). A query word that is
/// such an identifier looks for the joined token; every query word matches as a prefix (a commit sha prefix, a partial name).
/// </summary>
/// <remarks>
/// A word is a run of letters and digits (<c>\p{L}\p{N}</c>, one UTF-16 unit at a time), with runs joined by <c>_</c> or
/// <c>-</c> into one word; a camelCase boundary is a lower-case letter before an upper-case one, or an upper-case letter
/// before a capitalised word (<c>parseHeader|V2</c>, <c>HTTP|Server</c>). The text is scanned once and written straight
/// into the output: every row's text passes through here in the transform, and the regular expressions it replaced
/// allocated a match, a split and a lower-cased copy per word, 40% of an embedded sync's allocations (issue 11).
/// </remarks>
public static class SearchText
{
    private const int MaxTerms = 16;

    /// <summary>The text as the keyword index holds it.</summary>
    public static string Index(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var output = new StringBuilder(text.Length + 16);
        var rest = text.AsSpan();
        while (NextWord(ref rest) is { Length: > 0 } word) AppendWord(output, word);
        return output.ToString();
    }

    /// <summary>The words of a query, each as the token the index holds for it (at most 16; none for a query without letters or digits).</summary>
    public static IReadOnlyList<SearchTerm> Terms(string query)
    {
        var terms = new List<SearchTerm>();
        var token = new StringBuilder();
        var rest = query.AsSpan();
        while (NextWord(ref rest) is { Length: > 0 } word)
        {
            token.Clear();
            AppendLower(token, word, skipJoiners: true);
            var text = token.ToString();
            // A one-character prefix would match most of the index.
            if (!terms.Exists(t => t.Token == text)) terms.Add(new SearchTerm(text, text.Length > 1));
            if (terms.Count == MaxTerms) break;
        }
        return terms;
    }

    /// <summary>The next word of <paramref name="rest"/> (empty when there is none); <paramref name="rest"/> moves past it.</summary>
    private static ReadOnlySpan<char> NextWord(ref ReadOnlySpan<char> rest)
    {
        var start = 0;
        while (start < rest.Length && !IsWordChar(rest[start])) start++;
        if (start == rest.Length)
        {
            rest = default;
            return default;
        }
        var end = RunEnd(rest, start);
        // Joiners belong to the word only when a run of letters or digits follows them.
        while (end < rest.Length && IsJoiner(rest[end]))
        {
            var next = end;
            while (next < rest.Length && IsJoiner(rest[next])) next++;
            if (next == rest.Length || !IsWordChar(rest[next])) break;
            end = RunEnd(rest, next);
        }
        var word = rest[start..end];
        rest = rest[end..];
        return word;
    }

    /// <summary>A word's tokens: each camelCase part of each joined segment, a segment split in parts, and the joined word.</summary>
    private static void AppendWord(StringBuilder output, ReadOnlySpan<char> word)
    {
        var segments = 0;
        var position = 0;
        while (position < word.Length)
        {
            if (IsJoiner(word[position]))
            {
                position++;
                continue;
            }
            var end = RunEnd(word, position);
            AppendSegment(output, word[position..end]);
            segments++;
            position = end;
        }
        if (segments > 1) AppendToken(output, word, skipJoiners: true);
    }

    private static void AppendSegment(StringBuilder output, ReadOnlySpan<char> segment)
    {
        var partStart = 0;
        for (var i = 1; i < segment.Length; i++)
        {
            if (!IsCamelBoundary(segment, i)) continue;
            AppendToken(output, segment[partStart..i], skipJoiners: false);
            partStart = i;
        }
        if (partStart == 0)
        {
            AppendToken(output, segment, skipJoiners: false);
            return;
        }
        AppendToken(output, segment[partStart..], skipJoiners: false);
        AppendToken(output, segment, skipJoiners: false);
    }

    private static void AppendToken(StringBuilder output, ReadOnlySpan<char> token, bool skipJoiners)
    {
        if (output.Length > 0) output.Append(' ');
        AppendLower(output, token, skipJoiners);
    }

    // Word characters are never surrogates (their category is Surrogate), so lower-casing one unit at a time is the string's.
    private static void AppendLower(StringBuilder output, ReadOnlySpan<char> token, bool skipJoiners)
    {
        foreach (var c in token)
            if (!skipJoiners || !IsJoiner(c)) output.Append(char.ToLowerInvariant(c));
    }

    private static int RunEnd(ReadOnlySpan<char> text, int start)
    {
        var end = start;
        while (end < text.Length && IsWordChar(text[end])) end++;
        return end;
    }

    // parseHeader|V2, HTTP|Server: a lower-case letter before an upper-case one, or an upper-case run before a capitalised word.
    private static bool IsCamelBoundary(ReadOnlySpan<char> segment, int i)
    {
        var before = char.GetUnicodeCategory(segment[i - 1]);
        var at = char.GetUnicodeCategory(segment[i]);
        if (before == UnicodeCategory.LowercaseLetter && at == UnicodeCategory.UppercaseLetter) return true;
        return before == UnicodeCategory.UppercaseLetter && at == UnicodeCategory.UppercaseLetter
            && i + 1 < segment.Length && char.GetUnicodeCategory(segment[i + 1]) == UnicodeCategory.LowercaseLetter;
    }

    private static bool IsJoiner(char c) => c is '_' or '-';

    /// <summary><c>\p{L}</c> or <c>\p{N}</c>.</summary>
    private static bool IsWordChar(char c)
    {
        if (char.IsAsciiLetterOrDigit(c)) return true;
        if (c < 128) return false;
        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }
}
