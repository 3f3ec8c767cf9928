namespace Pulse.Bench.Embeddings.Quality;

/// <summary>
/// Identifiers of the shapes people search PR history for, in turn: an error code (ERR_QUOTA_SHARD_417), a function name
/// (resolveLedgerCursorV3), a ticket key (BILL-4821) and a 12-digit hex hash. Seeded; each is distinct and absent from the
/// data set's text before it is planted.
/// </summary>
internal static class ProbeIdentifiers
{
    private static readonly string[] Words = ["QUEUE", "LEDGER", "TOKEN", "SOCKET", "CACHE", "BATCH", "SHARD", "QUOTA"];
    private static readonly string[] Verbs = ["parse", "load", "flush", "merge", "resolve", "encode", "render", "probe"];
    private static readonly string[] Projects = ["CORE", "BILL", "AUTH", "DOCS", "PLAT", "DATA", "EDGE", "SYNC"];

    public static IReadOnlyList<string> Make(int count, string lowerCaseCorpus)
    {
        var random = new Random(1617);
        var made = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (made.Count < count)
        {
            var id = (made.Count % 4) switch
            {
                0 => $"ERR_{Pick(Words, random)}_{Pick(Words, random)}_{random.Next(100, 1000)}",
                1 => $"{Pick(Verbs, random)}{Capital(Pick(Words, random))}{Capital(Pick(Words, random))}V{random.Next(1, 10)}",
                2 => $"{Pick(Projects, random)}-{random.Next(1000, 10000)}",
                _ => Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()))[..12],
            };
            if (seen.Add(id) && !lowerCaseCorpus.Contains(id.ToLowerInvariant(), StringComparison.Ordinal)) made.Add(id);
        }
        return made;
    }

    public static string Shape(int index) => (index % 4) switch { 0 => "error code", 1 => "function name", 2 => "ticket key", _ => "hex hash" };

    private static string Pick(string[] words, Random random) => words[random.Next(words.Length)];

    private static string Capital(string word) => word[0] + word[1..].ToLowerInvariant();
}
