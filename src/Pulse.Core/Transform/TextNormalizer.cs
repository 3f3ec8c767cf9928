namespace Pulse.Core.Transform;

/// <summary>
/// The one normalisation applied to text from GitHub: U+0000 becomes U+FFFD. PostgreSQL rejects
/// NUL in text and jsonb while SQLite keeps it; replacing it on both backends keeps their
/// contents identical and leaves a visible mark where the character was. Everything else
/// (emoji, right-to-left text, 1 MB bodies) is stored as GitHub sent it.
/// </summary>
public static class TextNormalizer
{
    public const char Replacement = '\uFFFD';

    public static string? Clean(string? text) =>
        text is null || !text.Contains('\0') ? text : text.Replace('\0', Replacement);
}
