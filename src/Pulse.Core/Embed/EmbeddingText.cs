namespace Pulse.Core.Embed;

/// <summary>The text each entity is embedded from. Empty text is not embedded.</summary>
public static class EmbeddingText
{
    public static string PullRequest(string title, string? body) =>
        string.IsNullOrWhiteSpace(body) ? title : $"{title}\n\n{body}";

    public static string Commit(string message) => message;

    public static string Review(string body) => body;

    public static string Comment(string body) => body;
}
