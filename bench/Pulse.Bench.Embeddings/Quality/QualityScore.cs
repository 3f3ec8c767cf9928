using System.Text.Json.Nodes;
using Pulse.Core.Search;

namespace Pulse.Bench.Embeddings.Quality;

/// <summary>Recall@10 (the one relevant row among the top 10) and MRR@10 by kind, query type and mode; what hybrid gains and loses.</summary>
internal static class QualityScore
{
    /// <param name="Ranks">Per mode, the relevant row's rank in the top 10, or null when it is not there.</param>
    public sealed record QueryResult(string Kind, string Type, string Query, IReadOnlyDictionary<SearchMode, int?> Ranks);

    /// <param name="FirstHitIsItsPr">Per mode, whether the first hit belongs to the comment's PR.</param>
    /// <param name="FirstHitIsTheComment">Per mode, whether the first hit is the comment itself.</param>
    public sealed record ProbeResult(string Identifier, string Shape, IReadOnlyDictionary<SearchMode, bool> FirstHitIsItsPr, IReadOnlyDictionary<SearchMode, bool> FirstHitIsTheComment);

    public static JsonObject Summarise(IReadOnlyList<QueryResult> queries, IReadOnlyList<ProbeResult> probes)
    {
        var byKind = new JsonObject();
        foreach (var kind in SearchKind.Names) byKind[kind] = Scores(queries.Where(q => q.Kind == kind).ToList());
        var byType = new JsonObject();
        foreach (var type in QualityBench.Types) byType[type] = Scores(queries.Where(q => q.Type == type).ToList());
        var byKindAndType = new JsonObject();
        foreach (var kind in SearchKind.Names)
        {
            var row = new JsonObject();
            foreach (var type in QualityBench.Types) row[type] = Scores(queries.Where(q => q.Kind == kind && q.Type == type).ToList());
            byKindAndType[kind] = row;
        }
        var versus = new JsonObject();
        foreach (var single in new[] { SearchMode.Vector, SearchMode.Keyword })
        {
            var row = new JsonObject();
            foreach (var type in QualityBench.Types.Append("all"))
            {
                var set = queries.Where(q => type == "all" || q.Type == type).ToList();
                row[type] = new JsonObject
                {
                    ["hybridFindsItDoesNot"] = set.Count(q => q.Ranks[SearchMode.Hybrid] is not null && q.Ranks[single] is null),
                    ["itFindsHybridDoesNot"] = set.Count(q => q.Ranks[SearchMode.Hybrid] is null && q.Ranks[single] is not null),
                    ["hybridRanksHigher"] = set.Count(q => q.Ranks[SearchMode.Hybrid] is { } h && (q.Ranks[single] is not { } s || h < s)),
                    ["itRanksHigher"] = set.Count(q => q.Ranks[single] is { } s && (q.Ranks[SearchMode.Hybrid] is not { } h || s < h)),
                };
            }
            versus[Name(single)] = row;
        }
        return new JsonObject
        {
            ["recallAt10"] = new JsonObject { ["all"] = Scores(queries), ["byKind"] = byKind, ["byType"] = byType, ["byKindAndType"] = byKindAndType },
            ["hybridVersus"] = versus,
            ["identifierInOneComment"] = Probes(probes),
            ["queries"] = new JsonArray(queries.Select(q => (JsonNode)new JsonObject
            {
                ["kind"] = q.Kind, ["type"] = q.Type, ["query"] = q.Query,
                ["rank"] = new JsonObject(QualityBench.Modes.Select(m => KeyValuePair.Create(Name(m), (JsonNode?)q.Ranks[m]))),
            }).ToArray()),
        };
    }

    public static string Name(SearchMode mode) => mode.ToString().ToLowerInvariant();

    private static JsonObject Scores(IReadOnlyList<QueryResult> set)
    {
        var scores = new JsonObject { ["queries"] = set.Count };
        foreach (var mode in QualityBench.Modes)
        {
            scores[Name(mode)] = new JsonObject
            {
                ["recall"] = Math.Round(set.Count(q => q.Ranks[mode] is not null) / (double)set.Count, 3),
                ["mrr"] = Math.Round(set.Sum(q => q.Ranks[mode] is { } r ? 1.0 / r : 0) / set.Count, 3),
            };
        }
        return scores;
    }

    private static JsonObject Probes(IReadOnlyList<ProbeResult> probes)
    {
        JsonObject Rates(IReadOnlyList<ProbeResult> set) => new(QualityBench.Modes.Select(m => KeyValuePair.Create(Name(m), (JsonNode?)new JsonObject
        {
            ["firstHitIsItsPr"] = set.Count(p => p.FirstHitIsItsPr[m]),
            ["firstHitIsTheComment"] = set.Count(p => p.FirstHitIsTheComment[m]),
            ["of"] = set.Count,
        })));
        var byShape = new JsonObject();
        foreach (var shape in probes.Select(p => p.Shape).Distinct()) byShape[shape] = Rates(probes.Where(p => p.Shape == shape).ToList());
        return new JsonObject
        {
            ["all"] = Rates(probes),
            ["byShape"] = byShape,
            ["hybridMisses"] = new JsonArray(probes.Where(p => !p.FirstHitIsItsPr[SearchMode.Hybrid]).Select(p => (JsonNode)p.Identifier).ToArray()),
        };
    }
}
