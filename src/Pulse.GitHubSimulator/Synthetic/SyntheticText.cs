using System.Text;

namespace Pulse.GitHubSimulator.Synthetic;

/// <summary>Text pools of the generator: plain English, and the awkward text real data has (emoji, RTL, NUL).</summary>
internal static class SyntheticText
{
    private static readonly string[] Verbs = ["Fix", "Add", "Refactor", "Remove", "Update", "Speed up", "Document", "Test"];
    private static readonly string[] Things =
        ["retry loop", "config loader", "webhook handler", "cache eviction", "CLI flags", "pagination", "rate limiter", "login page", "metrics export", "schema migration"];
    private static readonly string[] Sentences =
    [
        "This changes the behaviour only when the flag is set.",
        "Tested locally against the staging cluster.",
        "Follow-up to the discussion in the last review.",
        "The old code path is kept for one release.",
        "LGTM once CI is green.",
        "Could we add a test for the empty case?",
        "Nit: the name could be clearer.",
        "I think this breaks Windows paths.",
    ];

    /// <summary>Emoji, right-to-left script and a NUL character, as found in real titles and bodies.</summary>
    public const string Awkward = "Fix 🚀 deploy 👩‍💻 — إصلاح الخطأ — תיקון באג — nul:\u0000 end ✅";

    public static string Title(Random r) => $"{Verbs[r.Next(Verbs.Length)]} {Things[r.Next(Things.Length)]}";

    public static string Sentence(Random r) => Sentences[r.Next(Sentences.Length)];

    public static string Paragraphs(Random r, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0) text.Append("\n\n");
            text.Append(Sentence(r)).Append(' ').Append(Sentence(r));
        }
        return text.ToString();
    }

    /// <summary>About 1 MiB of markdown, like a pasted log.</summary>
    public static string Huge()
    {
        var text = new StringBuilder(1_050_000);
        text.Append("Full build log:\n\n```\n");
        for (var line = 0; text.Length < 1_048_000; line++)
            text.Append("[build] step ").Append(line).Append(": compiling module ").Append(line % 97).Append(" ... ok\n");
        return text.Append("```\n").ToString();
    }

    public static string Hex(Random r, int length)
    {
        const string digits = "0123456789abcdef";
        var chars = new char[length];
        for (var i = 0; i < chars.Length; i++) chars[i] = digits[r.Next(16)];
        return new string(chars);
    }
}
