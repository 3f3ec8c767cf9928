namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// Converts recorded GitHub fixtures into data sets (shared/github/DATASET.md). Kinds:
/// "mergestat" (go-vcr cassettes), "devlake" (raw-table CSVs), "ghtalk" (raw GraphQL JSON answers).
/// </summary>
public static class FixtureConverter
{
    public static IReadOnlyList<string> Kinds { get; } = ["mergestat", "devlake", "ghtalk"];

    /// <summary>The folder of each kind inside third_party/github-fixtures.</summary>
    public static string DefaultFolder(string kind) => kind switch
    {
        "mergestat" => "mergestat-vcr-graphql",
        "devlake" => "devlake-github-graphql/raw_tables",
        "ghtalk" => "gh-talk-graphql",
        _ => throw UnknownKind(kind),
    };

    /// <summary>Reads the fixtures of <paramref name="kind"/> in <paramref name="fixtureDir"/> and writes one data set.</summary>
    public static void Convert(string fixtureDir, string kind, Stream output)
    {
        if (!Directory.Exists(fixtureDir)) throw new ArgumentException($"Fixture folder '{fixtureDir}' does not exist.");
        var builder = new DatasetBuilder();
        var generatedAt = kind switch
        {
            "mergestat" => MergestatCassettes.AddTo(builder, fixtureDir),
            "devlake" => DevLakeRawTables.AddTo(builder, fixtureDir),
            "ghtalk" => GhTalkResponses.AddTo(builder, fixtureDir),
            _ => throw UnknownKind(kind),
        };
        builder.Write(output, generatedAt);
    }

    /// <summary>Like <see cref="Convert"/>, reduced to what was recorded (see <see cref="RecordedOnly"/>), for end-to-end syncs.</summary>
    public static void ConvertRecordedOnly(string fixtureDir, string kind, Stream output)
    {
        using var buffer = new MemoryStream();
        Convert(fixtureDir, kind, buffer);
        var dataset = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(buffer.ToArray())!;
        using var writer = new System.Text.Json.Utf8JsonWriter(output, new System.Text.Json.JsonWriterOptions
            { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        RecordedOnly.Reduce(dataset).WriteTo(writer);
    }

    /// <summary>Converts every kind found under <paramref name="fixturesRoot"/> into OUT/&lt;kind&gt;.json; returns the files written.</summary>
    public static IReadOnlyList<string> ConvertAll(string fixturesRoot, string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        var written = new List<string>();
        foreach (var kind in Kinds)
        {
            var folder = Path.Combine(fixturesRoot, DefaultFolder(kind));
            if (!Directory.Exists(folder)) continue;
            var path = Path.Combine(outputDir, kind + ".json");
            using (var file = File.Create(path)) Convert(folder, kind, file);
            written.Add(path);
        }
        return written;
    }

    private static ArgumentException UnknownKind(string kind) =>
        new($"Unknown fixture kind '{kind}'; expected one of {string.Join(", ", Kinds)}.");
}
