using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Bench.Embeddings;
using Pulse.Bench.Embeddings.Quality;

// Usage (from the repository root; results go to bench/results):
//   dotnet run -c Release --project bench/Pulse.Bench.Embeddings -- texts [--count 600] [--rounds 3]
//       texts/s of the generator beside every raw ORT configuration of the same weights → embeddings.json
//   ... -- profile          the old embedder's suspects, one variant per process → embeddings-profile.json
//   ... -- long-dataset --out FILE     writes issue #16's long-text data set (1 repository, 20 PRs, ~1,350 texts)
//   ... -- sync bench-small | bench-org | long [--limit-minutes M]   full `pulse sync` runs with embeddings → embeddings-sync-<set>.json
//   ... -- quality          recall@10 of vector, keyword and hybrid search on labelled queries → search-quality.json and .md
// Every command (and `table` alone) rewrites bench/results/embeddings.md from the JSON files present.
string root = Paths.RepositoryRoot();
string results = Path.Combine(root, "bench", "results");
var corpus = GitHubTexts.Load(root);
switch (args.FirstOrDefault() ?? "texts")
{
    case "profile-child":
        return await Profile.ChildAsync(args[1], corpus);
    case "texts":
        Save(results, "embeddings.json", Stamp(await TextsBench.RunAsync(corpus, Int(args, "--count", 600), Int(args, "--rounds", 3))));
        break;
    case "profile":
        Save(results, "embeddings-profile.json", Stamp(new JsonObject { ["variants"] = await Profile.RunAsync(CancellationToken.None) }));
        break;
    case "table":
        break;   // only embeddings.md, below
    case "long-dataset":
        string file = Option(args, "--out") ?? throw new ArgumentException("long-dataset needs --out FILE");
        Console.WriteLine($"{LongTextDataset.Write(corpus, file)} texts written to {file}");
        return 0;
    case "sync":
        string set = args.Length > 1 ? args[1] : "bench-small";
        TimeSpan? limit = Option(args, "--limit-minutes") is { } minutes ? TimeSpan.FromMinutes(double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture)) : null;
        Save(results, $"embeddings-sync-{set}.json", Stamp(await SyncBench.RunAsync(root, set, corpus, results, limit, CancellationToken.None)));
        break;
    case "quality":
        var quality = Stamp(await QualityBench.RunAsync(root, corpus, CancellationToken.None));
        Save(results, "search-quality.json", quality);
        File.WriteAllText(Path.Combine(results, "search-quality.md"), QualityMarkdown.Render(quality));
        Console.WriteLine(File.ReadAllText(Path.Combine(results, "search-quality.md")));
        return 0;
    default:
        Console.Error.WriteLine("usage: Pulse.Bench.Embeddings texts | profile | long-dataset --out FILE | sync bench-small|bench-org|long [--limit-minutes M] | quality | table");
        return 2;
}
File.WriteAllText(Path.Combine(results, "embeddings.md"), EmbeddingsMarkdown.Render(results));
Console.WriteLine(File.ReadAllText(Path.Combine(results, "embeddings.md")));
return 0;

static JsonObject Stamp(JsonObject result)
{
    result["measuredAtUtc"] = DateTime.UtcNow.ToString("u");
    result["machine"] = new JsonObject
    {
        ["processorCount"] = Environment.ProcessorCount,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        // The machine is shared with other builds; the 1/5/15-minute load says how much CPU was free.
        ["loadAverageAtEnd"] = Load.Average(),
    };
    return result;
}

static void Save(string directory, string name, JsonObject result)
{
    Directory.CreateDirectory(directory);
    File.WriteAllText(Path.Combine(directory, name), result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}

static string? Option(string[] args, string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static int Int(string[] args, string name, int fallback) => Option(args, name) is { } v ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
