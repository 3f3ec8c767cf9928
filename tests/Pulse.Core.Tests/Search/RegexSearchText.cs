using System.Text;
using System.Text.RegularExpressions;

namespace Pulse.Core.Tests.Search;

/// <summary>
/// The tokenization as it was first written, with regular expressions: the definition <see cref="Pulse.Core.Search.SearchText"/>'s
/// one-pass scanner must give the same tokens as, character for character.
/// </summary>
internal static partial class RegexSearchText
{
    private static readonly char[] Joiners = ['_', '-'];

    public static string Index(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var output = new StringBuilder();
        foreach (Match word in Word().Matches(text))
        {
            var segments = word.Value.Split(Joiners, StringSplitOptions.RemoveEmptyEntries);
            foreach (var segment in segments)
            {
                var parts = CamelBoundary().Split(segment);
                foreach (var part in parts) Append(output, part);
                if (parts.Length > 1) Append(output, segment);
            }
            if (segments.Length > 1) Append(output, string.Concat(segments));
        }
        return output.ToString();
    }

    public static IEnumerable<string> QueryTokens(string query) =>
        Word().Matches(query).Select(w => string.Concat(w.Value.Split(Joiners, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant());

    private static void Append(StringBuilder output, string token)
    {
        if (output.Length > 0) output.Append(' ');
        output.Append(token.ToLowerInvariant());
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[_\-]+[\p{L}\p{N}]+)*")]
    private static partial Regex Word();

    [GeneratedRegex(@"(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})")]
    private static partial Regex CamelBoundary();
}
