using System.Text;

namespace Pulse.Embeddings.Onnx;

/// <summary>Turns arbitrary GitHub text into what the encoder is given.</summary>
internal static class EmbeddingText
{
    /// <summary>
    /// Drops NUL characters, keeps the first <see cref="EmbeddingModelInfo.MaxInputCharacters"/>
    /// of the rest (never splitting a surrogate pair), and maps null, empty and blank text to
    /// <see cref="string.Empty"/> so that all of them get one and the same vector.
    /// </summary>
    public static string Prepare(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        const int max = EmbeddingModelInfo.MaxInputCharacters;
        var span = text.AsSpan();
        string kept;
        if (span.Length <= max && !span.Contains('\0'))
        {
            kept = text;
        }
        else
        {
            var builder = new StringBuilder(Math.Min(span.Length, max));
            foreach (char c in span)
            {
                if (builder.Length == max)
                {
                    break;
                }
                if (c != '\0')
                {
                    builder.Append(c);
                }
            }
            if (builder.Length == max && char.IsHighSurrogate(builder[^1]))
            {
                builder.Length--;
            }
            kept = builder.ToString();
        }

        return string.IsNullOrWhiteSpace(kept) ? string.Empty : kept;
    }
}
