using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Bench.Embeddings.Quality;

/// <summary>A hand-written text of the fixture (planted-texts.json): its kind, its one identifier and its paraphrase.</summary>
internal sealed record PlantedText(string Kind, string Text, string Identifier, string Paraphrase);

/// <summary>A row of the data set, as the generator named it: its kind, its PR and its own key (PR or review or comment node id, commit oid).</summary>
internal sealed record Target(string Kind, string Repository, int Number, string PullRequestNode, string Key);

/// <summary>A fixture text and the row it was planted in (the one relevant row of its queries).</summary>
internal sealed record Planted(PlantedText Text, Target Target);

/// <summary>An identifier planted in one comment.</summary>
internal sealed record Probe(string Identifier, Target Comment);

/// <summary>
/// The search-quality data set: the generator's structure with real-length GitHub text (<see cref="LongTextDataset.Build"/>)
/// as distractors; the fixture's texts planted in rows picked by a fixed seed (a PR: as the first paragraph of its body; a
/// commit, review or comment: as its whole message or body); and identifiers of four shapes appended to other comments,
/// each checked to occur nowhere else. What is relevant to each query is known from where it was planted.
/// </summary>
internal static class QualityDataset
{
    public static readonly SyntheticSpec Structure = SyntheticSpec.Parse("repos=3,prs=100,seed=16,tails=none,big_body=false");

    public static IReadOnlyList<PlantedText> LoadFixture(string root)
    {
        var file = Path.Combine(root, "bench", "Pulse.Bench.Embeddings", "Quality", "planted-texts.json");
        return JsonSerializer.Deserialize<FixtureFile>(File.ReadAllText(file), new JsonSerializerOptions(JsonSerializerDefaults.Web))!.Texts;
    }

    public static (JsonNode Dataset, IReadOnlyList<Planted> Planted, IReadOnlyList<Probe> Probes) Build(GitHubTexts texts, IReadOnlyList<PlantedText> fixture, int probes)
    {
        var dataset = LongTextDataset.Build(texts, Structure, out _);
        var rows = Rows(dataset).ToList();
        var random = new Random(1616);
        var planted = new List<Planted>();
        var taken = new HashSet<JsonNode>();
        foreach (var group in fixture.GroupBy(f => f.Kind))
        {
            var candidates = rows.Where(r => r.Target.Kind == group.Key).ToArray();
            random.Shuffle(candidates);
            foreach (var (text, (node, target)) in group.Zip(candidates))
            {
                Plant(node, target.Kind, text.Text);
                taken.Add(node);
                planted.Add(new Planted(text, target));
            }
        }
        var corpus = string.Join('\n', rows.Select(r => Text(r.Node, r.Target.Kind))).ToLowerInvariant();
        foreach (var p in planted)
        {
            var id = p.Text.Identifier.ToLowerInvariant();
            if (corpus.IndexOf(id, StringComparison.Ordinal) != corpus.LastIndexOf(id, StringComparison.Ordinal))
                throw new InvalidOperationException($"The fixture's identifier {p.Text.Identifier} occurs more than once in the data set.");
        }
        var comments = rows.Where(r => r.Target.Kind == "comment" && !taken.Contains(r.Node)).ToArray();
        random.Shuffle(comments);
        if (comments.Length < probes) throw new InvalidOperationException($"The data set has {comments.Length} free comments, not {probes}.");
        var identifiers = ProbeIdentifiers.Make(probes, corpus);
        var planteds = comments.Take(probes).Zip(identifiers, (row, id) =>
        {
            row.Node["body"] = $"{(string?)row.Node["body"]}\n\nSeen again on the nightly run: {id}";
            return new Probe(id, row.Target);
        }).ToList();
        return (dataset, planted, planteds);
    }

    private static void Plant(JsonNode node, string kind, string text)
    {
        switch (kind)
        {
            case "pr": node["body"] = $"{text}\n\n{(string?)node["body"]}"; break;
            case "commit": node["commit"]!["message"] = text; break;
            default: node["body"] = text; break;
        }
    }

    private static string Text(JsonNode node, string kind) => kind switch
    {
        "pr" => $"{(string?)node["title"]}\n{(string?)node["body"]}",
        "commit" => (string?)node["commit"]!["message"] ?? "",
        _ => (string?)node["body"] ?? "",
    };

    private static IEnumerable<(JsonNode Node, Target Target)> Rows(JsonNode dataset)
    {
        foreach (var repository in dataset["repositories"]!.AsArray())
        {
            // `pulse sync --owner synth-org` syncs the organisation's repositories; the generator gives its last one to a user.
            if ((string?)repository!["owner"] != SyntheticDataset.OrganizationLogin) continue;
            var name = (string)repository!["nameWithOwner"]!;
            foreach (var pr in repository["pullRequests"]!.AsArray())
            {
                var (number, id) = ((int)pr!["number"]!, (string)pr["id"]!);
                Target Of(string kind, string key) => new(kind, name, number, id, key);
                yield return (pr, Of("pr", id));
                foreach (var commit in pr["commits"]!.AsArray()) yield return (commit!, Of("commit", (string)commit!["commit"]!["oid"]!));
                foreach (var review in pr["reviews"]!.AsArray()) yield return (review!, Of("review", (string)review!["id"]!));
                foreach (var comment in LongTextDataset.Comments(pr)) yield return (comment, Of("comment", (string)comment["id"]!));
            }
        }
    }

    private sealed record FixtureFile(string About, List<PlantedText> Texts);
}
