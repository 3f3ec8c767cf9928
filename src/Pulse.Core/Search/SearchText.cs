using System.Text;
using System.Text.RegularExpressions;

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
public static partial class SearchText
{
    private const int MaxTerms = 16;

    /// <summary>The text as the keyword index holds it.</summary>
    public static string Index(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var output = new StringBuilder(text.Length + 16);
        foreach (Match word in Word().Matches(text))
        {
            var segments = word.Value.Split(Joiners, StringSplitOptions.RemoveEmptyEntries);
            foreach (var segment in segments)
            {
                var parts = CamelParts(segment);
                foreach (var part in parts) Append(output, part);
                if (parts.Length > 1) Append(output, segment);
            }
            if (segments.Length > 1) Append(output, string.Concat(segments));
        }
        return output.ToString();
    }

    /// <summary>The words of a query, each as the token the index holds for it (at most 16; none for a query without letters or digits).</summary>
    public static IReadOnlyList<SearchTerm> Terms(string query)
    {
        var terms = new List<SearchTerm>();
        foreach (Match word in Word().Matches(query))
        {
            var token = string.Concat(word.Value.Split(Joiners, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
            // A one-character prefix would match most of the index.
            if (!terms.Exists(t => t.Token == token)) terms.Add(new SearchTerm(token, token.Length > 1));
            if (terms.Count == MaxTerms) break;
        }
        return terms;
    }

    private static readonly char[] Joiners = ['_', '-'];

    private static string[] CamelParts(string segment) => CamelBoundary().Split(segment);

    private static void Append(StringBuilder output, string token)
    {
        if (output.Length > 0) output.Append(' ');
        output.Append(token.ToLowerInvariant());
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[_\-]+[\p{L}\p{N}]+)*")]
    private static partial Regex Word();

    // parseHeader|V2, HTTP|Server: a lower-case letter before an upper-case one, or an upper-case run before a capitalised word.
    [GeneratedRegex(@"(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})")]
    private static partial Regex CamelBoundary();
}
