using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// The data set of issue #16's "Why": one repository, 20 PRs, ~1,350 texts, with long PR and comment bodies. The
/// simulator's synthetic generator makes the structure (its ids, dates, authors and heavy-tailed connection sizes;
/// the seed is the one whose 20 PRs hold ~1,350 texts); every text in it is then replaced by real-length GitHub text (<see cref="GitHubTexts"/>): templated
/// PR bodies, one-line and multi-paragraph commit messages, short and long comments.
/// </summary>
internal static class LongTextDataset
{
    public static readonly SyntheticSpec Structure = SyntheticSpec.Parse("repos=1,prs=20,seed=6,tails=heavy,big_body=false");

    /// <summary>Writes the data set to <paramref name="path"/>; returns how many non-blank texts it holds.</summary>
    public static int Write(GitHubTexts texts, string path)
    {
        var dataset = Build(texts, Structure, out int count);
        Save(dataset, path);
        return count;
    }

    /// <summary>The generator's data set of <paramref name="structure"/> with every text replaced by real-length GitHub text.</summary>
    public static JsonNode Build(GitHubTexts texts, SyntheticSpec structure, out int count)
    {
        using var generated = new MemoryStream();
        SyntheticDataset.Generate(structure, generated);
        var dataset = JsonNode.Parse(generated.ToArray())!;
        var random = new Random(16);
        // The longest bodies first: the templated ones (licence header, checklist, sections) of 2,000+ characters.
        var bodies = Enumerable.Range(0, texts.PullRequests.Count).OrderByDescending(i => texts.PullRequests[i].Body.Length).ToArray();
        count = 0;
        int next = 0;
        foreach (var pr in dataset["repositories"]!.AsArray().SelectMany(r => r!["pullRequests"]!.AsArray()))
        {
            var (title, body) = texts.PullRequests[bodies[next++ % bodies.Length]];
            pr!["title"] = title;
            pr["body"] = body;
            count++;
            foreach (var commit in pr["commits"]!.AsArray())
            {
                commit!["commit"]!["message"] = texts.CommitMessage(random);
                count++;
            }
            foreach (var review in pr["reviews"]!.AsArray())
            {
                // Most reviews are an approval or "changes requested" without a body.
                string reviewBody = random.Next(3) == 0 ? texts.ReviewBodies[random.Next(texts.ReviewBodies.Count)] : "";
                review!["body"] = reviewBody;
                count += reviewBody.Trim().Length > 0 ? 1 : 0;
            }
            foreach (var comment in Comments(pr))
            {
                comment["body"] = texts.Comment(random);
                count++;
            }
        }
        return dataset;
    }

    /// <summary>A PR's conversation comments and its review threads' comments.</summary>
    public static IEnumerable<JsonNode> Comments(JsonNode pr) =>
        pr["comments"]!.AsArray().Concat(pr["reviewThreads"]!.AsArray().SelectMany(t => t!["comments"]!.AsArray())).Select(c => c!);

    public static void Save(JsonNode dataset, string path)
    {
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        dataset.WriteTo(json);
    }
}
