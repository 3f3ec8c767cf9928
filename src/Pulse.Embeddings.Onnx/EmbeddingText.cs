using System.Text;

namespace Pulse.Embeddings.Onnx;

/// <summary>Turns arbitrary GitHub text into what the tokenizer is given.</summary>
internal static class EmbeddingText
{
    private const string CommentOpen = "<!--";
    private const string CommentClose = "-->";

    /// <summary>
    /// Removes HTML comments (GitHub renders them invisible; PR templates put their licence headers and
    /// instructions there, which would otherwise fill the model's window) and NUL characters, and maps null,
    /// empty and blank text to <see cref="string.Empty"/> so that all of them get one and the same vector.
    /// An unclosed <c>&lt;!--</c> hides the rest of the text, as it does on GitHub.
    /// </summary>
    public static string Prepare(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        if (!text.Contains(CommentOpen, StringComparison.Ordinal) && !text.Contains('\0'))
        {
            return string.IsNullOrWhiteSpace(text) ? string.Empty : text;
        }

        var kept = new StringBuilder(text.Length);
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            int open = rest.IndexOf(CommentOpen, StringComparison.Ordinal);
            AppendWithoutNul(kept, open < 0 ? rest : rest[..open]);
            if (open < 0)
            {
                break;
            }
            rest = rest[(open + CommentOpen.Length)..];
            int close = rest.IndexOf(CommentClose, StringComparison.Ordinal);
            rest = close < 0 ? [] : rest[(close + CommentClose.Length)..];
        }

        string prepared = kept.ToString();
        return string.IsNullOrWhiteSpace(prepared) ? string.Empty : prepared;
    }

    private static void AppendWithoutNul(StringBuilder builder, ReadOnlySpan<char> part)
    {
        foreach (var piece in part.Split('\0'))
        {
            builder.Append(part[piece]);
        }
    }
}
