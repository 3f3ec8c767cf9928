namespace Pulse.Bench.Embeddings;

/// <summary>Deterministic PR titles, review comments and short bodies, shaped like GitHub text.</summary>
internal static class SyntheticTexts
{
    private static readonly string[] Verbs = ["Fix", "Add", "Refactor", "Remove", "Document", "Speed up", "Retry", "Validate"];
    private static readonly string[] Things =
        ["the job scheduler", "review thread mapping", "GraphQL pagination", "rate-limit budget", "SQLite migrations",
         "the dashboard feed", "commit author lookup", "dark mode", "the RabbitMQ consumer", "vector search ranking"];
    private static readonly string[] Details =
        ["when the cursor is null", "under heavy load", "after a token refresh", "on empty pull requests",
         "for forks", "with unicode titles", "in the CLI", "on Windows paths"];
    private static readonly string[] Sentences =
        ["This was flaky on CI.", "Covered by a new regression test.", "Looks good to me, one nit below.",
         "Can we keep the old behaviour behind a flag?", "The previous fix missed the retry path.",
         "Benchmarks show no regression.", "Please squash before merging.", "Closes the linked issue."];

    /// <summary>Mostly one-line titles and comments, one in five a body of several sentences.</summary>
    public static string[] Create(int count, int seed = 42)
    {
        var random = new Random(seed);
        var texts = new string[count];
        for (int i = 0; i < count; i++)
        {
            string title = $"{Pick(random, Verbs)} {Pick(random, Things)} {Pick(random, Details)} (#{random.Next(1, 5_000)})";
            texts[i] = random.Next(5) == 0
                ? title + "\n\n" + string.Join(' ', Enumerable.Range(0, random.Next(3, 12)).Select(_ => Pick(random, Sentences)))
                : title;
        }
        return texts;
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
