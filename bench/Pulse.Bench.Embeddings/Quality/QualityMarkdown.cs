using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pulse.Bench.Embeddings.Quality;

/// <summary>bench/results/search-quality.md, written from search-quality.json.</summary>
internal static class QualityMarkdown
{
    private static readonly string[] Modes = ["vector", "keyword", "hybrid"];

    public static string Render(JsonNode r)
    {
        var dataset = r["dataset"]!;
        var recall = r["recallAt10"]!;
        var md = new StringBuilder();
        md.AppendLine("# Search quality: recall@10 of vector, keyword and hybrid search (issue #16, item 6)");
        md.AppendLine();
        md.AppendLine($"Measured {r["measuredAtUtc"]} on {r["machine"]!["processorCount"]} cores (load at end {r["machine"]!["loadAverageAtEnd"]}) by");
        md.AppendLine("`dotnet run -c Release --project bench/Pulse.Bench.Embeddings -- quality` (raw figures and every query with its ranks: `search-quality.json`).");
        md.AppendLine();
        md.AppendLine("## How it is produced");
        md.AppendLine($"- **Data set**: the synthetic generator's structure `{dataset["structure"]}` (the organisation's repositories), every text replaced by");
        md.AppendLine("  real-length GitHub text from the recorded Apache DevLake fixture (templated PR bodies, real commit messages and reviews, quoted comments), as in the");
        md.AppendLine($"  long-text data set. Synced by the real `pulse sync` (SQLite, embeddings on) from the simulator: {dataset["textsEmbedded"]} vectors, {dataset["searchDocuments"]} search documents.");
        md.AppendLine("- **Why planted texts**: the generator's own texts come from 8 sentences and 80 titles, so a paraphrase of one matches hundreds of rows alike and");
        md.AppendLine($"  no label would mean anything. So {dataset["plantedTexts"]} hand-written, distinct texts (10 per kind, `bench/Pulse.Bench.Embeddings/Quality/planted-texts.json`)");
        md.AppendLine("  are planted in rows picked by a fixed seed: a PR's first body paragraph, or a commit message, review body or comment body. Each holds one identifier");
        md.AppendLine("  found nowhere else in the data set. **Labels**: the one relevant row of a text's queries is the row it was planted in (by the generator's node id");
        md.AppendLine("  or commit oid), never anything Pulse returned.");
        md.AppendLine("- **Queries** per planted text: its *identifier* alone; a hand-written *paraphrase* (a rewording without the identifier, in the fixture);");
        md.AppendLine($"  a *misspelling*: a stretch of {Misspelling.Words} words of the text (its identifier left out) with a typing slip (swap, drop, double,");
        md.AppendLine("  keyboard neighbour) in about half its words of 4+ letters, at least two, made by `Misspelling.cs` with seed 16000 + the text's index.");
        md.AppendLine("- **Search**: Pulse's `HybridSearch` over the synced database in each mode, top 10; RRF k = 60 as shipped (not tuned to these queries).");
        md.AppendLine("  Keyword search requires every query word (prefix match), as `pulse search` does. One relevant row per query: recall@10 is the share of");
        md.AppendLine("  queries whose row is in the top 10; MRR@10 the mean of 1/rank (0 when absent). A cell of one kind and one query type holds 10 queries.");
        md.AppendLine();
        md.AppendLine("## Recall@10 by query type");
        Table(md, "query type", QualityBench.Types.Append("all").Select(t => (t, t == "all" ? recall["all"]! : recall["byType"]![t]!)));
        md.AppendLine("## Recall@10 by kind (all three query types)");
        Table(md, "kind", Pulse.Core.Search.SearchKind.Names.Select(k => (k, recall["byKind"]![k]!)));
        md.AppendLine("## Recall@10 by kind and query type (vector / keyword / hybrid)");
        md.AppendLine("| kind | " + string.Join(" | ", QualityBench.Types) + " |");
        md.AppendLine("|---|" + string.Concat(QualityBench.Types.Select(_ => "---|")));
        foreach (var kind in Pulse.Core.Search.SearchKind.Names)
            md.AppendLine($"| {kind} | " + string.Join(" | ", QualityBench.Types.Select(t => string.Join(" / ", Modes.Select(m => F(recall["byKindAndType"]![kind]![t]![m]!["recall"]!))))) + " |");
        md.AppendLine();
        md.AppendLine("## What hybrid gains and loses against each single method (queries)");
        md.AppendLine("| against | query type | hybrid finds, it does not | it finds, hybrid does not | hybrid ranks the row higher | it ranks the row higher |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var single in new[] { "vector", "keyword" })
            foreach (var type in QualityBench.Types.Append("all"))
            {
                var v = r["hybridVersus"]![single]![type]!;
                md.AppendLine($"| {single} | {type} | {v["hybridFindsItDoesNot"]} | {v["itFindsHybridDoesNot"]} | {v["hybridRanksHigher"]} | {v["itRanksHigher"]} |");
            }
        md.AppendLine();
        var probes = r["identifierInOneComment"]!;
        md.AppendLine("## An identifier that occurs in one comment: is that comment's PR the first hit?");
        md.AppendLine($"{probes["all"]!["hybrid"]!["of"]} identifiers (error codes, function names, ticket keys, 12-digit hex hashes in turn; seeded, each checked absent");
        md.AppendLine("from the data set before) appended to as many comments, one each, as \"Seen again on the nightly run: ID\"; the query is the identifier alone.");
        md.AppendLine();
        md.AppendLine("| identifiers | " + string.Join(" | ", Modes.Select(m => $"{m}: first hit is its PR (is the comment)")) + " |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (name, node) in new[] { ("all", probes["all"]!) }.Concat(probes["byShape"]!.AsObject().Select(p => (p.Key, p.Value!))))
            md.AppendLine($"| {name} | " + string.Join(" | ", Modes.Select(m => $"{node[m]!["firstHitIsItsPr"]}/{node[m]!["of"]} ({node[m]!["firstHitIsTheComment"]})")) + " |");
        md.AppendLine();
        md.AppendLine("## Limits");
        md.AppendLine("- The distractors are one project's text (Apache DevLake: data-pipeline plugins) and the planted texts are on other subjects, so a");
        md.AppendLine("  planted text's closest competitors are mostly the other planted texts: the vector figures for paraphrases are an upper bound of");
        md.AppendLine("  what a large organisation's history, with many texts on the same subject, would give.");
        md.AppendLine($"- {dataset["searchDocuments"]} documents and 10 queries per cell of the kind × type table (steps of 0.1); the per-type rows hold 40.");
        md.AppendLine("- Keyword search requires every word, so a paraphrase or a misspelled phrase almost never matches by keyword; that is Pulse's");
        md.AppendLine("  design (precise identifier hits), and the fused ranking is what `pulse search` shows.");
        md.AppendLine();
        md.AppendLine($"Sync of the data set: {r["sync"]!["seconds"]} s, peak RSS {r["sync"]!["peakRssMb"]} MB ({r["sync"]!["stages"]}).");
        return md.ToString();
    }

    private static void Table(StringBuilder md, string first, IEnumerable<(string Name, JsonNode Scores)> rows)
    {
        md.AppendLine($"| {first} | queries | " + string.Join(" | ", Modes.Select(m => $"{m} recall@10 (MRR@10)")) + " |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var (name, s) in rows)
            md.AppendLine($"| {name} | {s["queries"]} | " + string.Join(" | ", Modes.Select(m => $"{F(s[m]!["recall"]!)} ({F(s[m]!["mrr"]!)})")) + " |");
        md.AppendLine();
    }

    private static string F(JsonNode value) => value.GetValue<double>().ToString("0.00", CultureInfo.InvariantCulture);
}
