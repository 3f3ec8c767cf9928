using System.CommandLine;
using Pulse.Core.Embed;
using Pulse.Core.Search;
using Pulse.Embeddings.Onnx;

namespace Pulse.Cli;

/// <summary><c>pulse search</c>: hybrid (keyword + vector) search over the synced PRs, commits, reviews and comments, each hit with its PR's link.</summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("text") { Description = "What to look for: words, an identifier (ERR_CONN_RESET, parseHeaderV2, PROJ-1234), a commit sha prefix" };
        var limit = new Option<int>("--limit") { Description = "How many results (1..100)", DefaultValueFactory = _ => 10 };
        var filters = new Dictionary<string, Option<string?>>
        {
            ["repo"] = new("--repo") { Description = "Only this repository (NAME or OWNER/NAME)" },
            ["author"] = new("--author") { Description = "Only rows written by this login" },
            ["state"] = new("--state") { Description = "Only rows of PRs in this state: OPEN, CLOSED, MERGED" },
            ["kind"] = new("--kind") { Description = "Only this kind of row: pr, commit, review, comment" },
            ["since"] = new("--since") { Description = "Only rows from this time on (ISO-8601, e.g. 2025-01-31)" },
            ["until"] = new("--until") { Description = "Only rows before this time (ISO-8601)" },
            ["mode"] = new("--mode") { Description = "hybrid (default: keyword and vector ranks fused), keyword or vector" },
        };
        var database = new Option<string>("--database") { Description = "sqlite:PATH (default sqlite:pulse.db), a postgres:// URL or an Npgsql connection string", DefaultValueFactory = _ => DatabaseOption.Default };
        var tenant = new Option<string>("--tenant") { Description = "Tenant name", DefaultValueFactory = _ => "default" };
        var command = new Command("search", "Hybrid search over the synced text: keyword matches (identifiers too) and nearest meanings, fused by reciprocal rank.")
        {
            text, limit, database, tenant,
        };
        foreach (var option in filters.Values) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(limit);
            if (n is < 1 or > 100) return Fail("--limit must be between 1 and 100.");
            try
            {
                var (storage, _) = await DatabaseOption.OpenAsync(parse.GetValue(database)!, ct);
                var t = await storage.Tenants.EnsureTenantAsync(parse.GetValue(tenant)!, ct);
                var request = SearchRequest.Parse(t.Id, parse.GetValue(text) ?? "", n, name => parse.GetValue(filters[name]) is { Length: > 0 } v ? v : null);
                // The API's names are the options' names without "--"; its q is this command's argument.
                if (request.Error is not null) return Fail(request.Error.StartsWith("q ", StringComparison.Ordinal)
                    ? request.Error.Replace("q (the text to look for)", "the text to look for", StringComparison.Ordinal).Replace("q must", "the text must", StringComparison.Ordinal)
                    : "--" + request.Error);
                using var generator = request.Mode == SearchMode.Keyword ? null : new MiniLmEmbeddingGenerator();
                var search = new HybridSearch(storage.Search, generator is null ? null : new EmbeddingModel(generator, EmbeddingModelInfo.Id));
                var hits = await search.SearchAsync(request.Query!, request.Mode, ct);
                if (hits.Count == 0) Console.WriteLine("No results.");
                foreach (var (h, i) in hits.Select((h, i) => (h, i)))
                {
                    Console.WriteLine($"{i + 1,2}. {h.Repository}#{h.PullRequestNumber}  {h.Kind,-7}  {h.Score:0.0000}  {h.PullRequestUrl}");
                    Console.WriteLine($"    {h.Snippet}");
                }
                return 0;
            }
            catch (ArgumentException e)
            {
                return Fail(e.Message);
            }
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"pulse search: {message}");
        return 2;
    }
}
