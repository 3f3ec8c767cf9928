using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Core.Embed;
using Pulse.Core.Search;
using Pulse.Core.Storage;
using Pulse.Embeddings.Onnx;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.Storage.Sqlite;

namespace Pulse.Bench.Embeddings.Quality;

/// <summary>
/// Search quality as a user meets it: the quality data set (<see cref="QualityDataset"/>) served by the simulator, synced
/// with embeddings by the real `pulse sync` into SQLite, then every query run through Pulse's <see cref="HybridSearch"/>
/// in each mode (vector only, keyword only, hybrid) for its top 10. RRF is Pulse's, untouched (k = 60).
/// </summary>
internal static class QualityBench
{
    public const int Probes = 200;

    public static readonly SearchMode[] Modes = [SearchMode.Vector, SearchMode.Keyword, SearchMode.Hybrid];

    public static readonly string[] Types = ["identifier", "paraphrase", "misspelling"];

    public static async Task<JsonObject> RunAsync(string root, GitHubTexts texts, CancellationToken ct)
    {
        string work = Directory.CreateTempSubdirectory("pulse-quality-bench-").FullName;
        try
        {
            var (dataset, planted, probes) = QualityDataset.Build(texts, QualityDataset.LoadFixture(root), Probes);
            string file = Path.Combine(work, "quality-dataset.json");
            LongTextDataset.Save(dataset, file);
            var options = new SimulatorOptions
            {
                ProcessingTimeScale = 0, PointsPerHour = 100_000_000, RequestsPerMinutePerToken = 100_000_000, CpuBudget = TimeSpan.FromDays(1), DatasetPath = file,
            };
            await using var sim = await GitHubSimulatorServer.StartAsync(options, ct);
            string db = Path.Combine(work, "quality.db");
            var sync = await SyncRun.RunAsync(await SyncBench.CopyOfCliAsync(root, work, ct), sim.GraphQLUrl, SyntheticDataset.OrganizationLogin, db, true, null, ct);
            if (sync.ExitCode != 0 || sync.Embeddings == 0) throw new InvalidOperationException($"pulse sync failed: {sync}");
            Console.WriteLine($"synced: {sync}");

            await using var services = new ServiceCollection().AddSqliteStorage(db).BuildServiceProvider();
            var storage = services.GetRequiredService<PulseStorage>();
            var tenant = await storage.Tenants.EnsureTenantAsync("default", ct);
            using var generator = new MiniLmEmbeddingGenerator();
            var search = new HybridSearch(storage.Search, new EmbeddingModel(generator, EmbeddingModelInfo.Id));
            var rows = await RowIdsAsync(db, planted.Select(p => p.Target).Concat(probes.Select(p => p.Comment)));

            var queries = new List<QualityScore.QueryResult>();
            foreach (var (p, i) in planted.Select((p, i) => (p, i)))
            {
                foreach (var type in Types)
                {
                    string text = type switch
                    {
                        "identifier" => p.Text.Identifier,
                        "paraphrase" => p.Text.Paraphrase,
                        _ => Misspelling.Of(p.Text.Text, p.Text.Identifier, seed: 16_000 + i),
                    };
                    var ranks = new Dictionary<SearchMode, int?>();
                    foreach (var mode in Modes)
                    {
                        var hits = await search.SearchAsync(new SearchQuery(tenant.Id, text, 10), mode, ct);
                        int at = hits.ToList().FindIndex(h => h.Kind == p.Target.Kind && h.RowId == rows[p.Target]);
                        ranks[mode] = at < 0 ? null : at + 1;
                    }
                    queries.Add(new QualityScore.QueryResult(p.Target.Kind, type, text, ranks));
                }
            }

            var probeResults = new List<QualityScore.ProbeResult>();
            foreach (var (probe, i) in probes.Select((p, i) => (p, i)))
            {
                var first = new Dictionary<SearchMode, bool>();
                var itself = new Dictionary<SearchMode, bool>();
                foreach (var mode in Modes)
                {
                    var hits = await search.SearchAsync(new SearchQuery(tenant.Id, probe.Identifier, 10), mode, ct);
                    first[mode] = hits.Count > 0 && hits[0].Repository == probe.Comment.Repository && hits[0].PullRequestNumber == probe.Comment.Number;
                    itself[mode] = hits.Count > 0 && hits[0].Kind == "comment" && hits[0].RowId == rows[probe.Comment];
                }
                probeResults.Add(new QualityScore.ProbeResult(probe.Identifier, ProbeIdentifiers.Shape(i), first, itself));
            }

            var result = QualityScore.Summarise(queries, probeResults);
            result["dataset"] = new JsonObject
            {
                ["structure"] = QualityDataset.Structure.ToString(),
                ["distractorText"] = "every text replaced by real-length GitHub text (GitHubTexts, from the recorded Apache DevLake fixture), as in the long-text data set",
                ["plantedTexts"] = planted.Count,
                ["probeIdentifiers"] = probes.Count,
                ["textsEmbedded"] = sync.Embeddings,
                ["searchDocuments"] = await CountAsync(db, "SELECT COUNT(*) FROM search_documents"),
            };
            result["sync"] = new JsonObject { ["seconds"] = Math.Round(sync.Seconds, 1), ["peakRssMb"] = sync.PeakRssMb, ["stages"] = sync.StageStates };
            return result;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The synced row of each target, looked up by the keys the generator gave it.</summary>
    private static async Task<Dictionary<Target, long>> RowIdsAsync(string databaseFile, IEnumerable<Target> targets)
    {
        await using var db = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly");
        var rows = new Dictionary<Target, long>();
        foreach (var t in targets)
        {
            string sql = t.Kind switch
            {
                "pr" => "SELECT id FROM prs WHERE node_id = @Key",
                "commit" => "SELECT c.id FROM prs_commits c JOIN prs p ON p.id = c.pr_id WHERE p.node_id = @PullRequestNode AND c.oid = @Key",
                "review" => "SELECT id FROM prs_reviews WHERE node_id = @Key",
                _ => "SELECT id FROM prs_comments WHERE node_id = @Key",
            };
            rows[t] = await db.ExecuteScalarAsync<long?>(sql, t) ?? throw new InvalidOperationException($"{t} was not synced.");
        }
        return rows;
    }

    private static async Task<long> CountAsync(string databaseFile, string sql)
    {
        await using var db = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly");
        return await db.ExecuteScalarAsync<long>(sql);
    }
}
