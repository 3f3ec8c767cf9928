using System.CommandLine;
using Pulse.Embeddings.Onnx;

namespace Pulse.Cli;

/// <summary><c>pulse search</c>: the nearest PRs, commits, reviews and comments to a text, with scores.</summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("text") { Description = "What to look for" };
        var repo = new Option<string?>("--repo") { Description = "Only this repository (NAME or OWNER/NAME)" };
        var limit = new Option<int>("--limit") { Description = "How many results (1..100)", DefaultValueFactory = _ => 10 };
        var database = new Option<string>("--database") { Description = "sqlite:PATH (default sqlite:pulse.db)", DefaultValueFactory = _ => DatabaseOption.Default };
        var tenant = new Option<string>("--tenant") { Description = "Tenant name", DefaultValueFactory = _ => "default" };
        var command = new Command("search", "Semantic search over the synced text.") { text, repo, limit, database, tenant };
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(limit);
            if (n is < 1 or > 100)
            {
                Console.Error.WriteLine("pulse search: --limit must be between 1 and 100.");
                return 2;
            }
            try
            {
                var (storage, _) = await DatabaseOption.OpenAsync(parse.GetValue(database)!, ct);
                var t = await storage.Tenants.EnsureTenantAsync(parse.GetValue(tenant)!, ct);
                using var generator = new MiniLmEmbeddingGenerator();
                var query = (await generator.GenerateAsync([parse.GetValue(text)!], cancellationToken: ct))[0].Vector.ToArray();
                var hits = await storage.Vectors.SearchAsync(t.Id, EmbeddingModelInfo.Id, query, parse.GetValue(repo), n, ct);
                if (hits.Count == 0) Console.WriteLine("No results (has a sync with embeddings run?).");
                foreach (var h in hits)
                    Console.WriteLine($"{h.Score:0.000}  {h.Repository}#{h.PullRequestNumber}  {Kind(h.Table),-8} {h.Snippet}");
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"pulse search: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static string Kind(string table) => table switch
    {
        "prs" => "PR",
        "prs_commits" => "commit",
        "prs_reviews" => "review",
        _ => "comment",
    };
}
