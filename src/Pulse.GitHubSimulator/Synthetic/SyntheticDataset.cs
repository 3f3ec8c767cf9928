using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pulse.GitHubSimulator.Synthetic;

/// <summary>
/// Writes a deterministic synthetic data set (shared/github/DATASET.md) with real data's heavy
/// tails. Streams one pull request at a time, so 10,000+ pull requests need little memory.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>The data's "now": after every timestamp the generator writes.</summary>
    public static readonly DateTimeOffset GeneratedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static readonly DateTimeOffset FirstCreated = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset LastCreated = new(2025, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public const string OrganizationLogin = "synth-org";
    public const string UserLogin = "solo-dev";

    public static void Generate(SyntheticSpec spec, Stream output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var random = new Random(spec.Seed);
        var perRepo = Share(spec.PullRequests, spec.Repositories);
        var tailAt = TailPositions(spec, random);
        var writer = new SyntheticPullRequestWriter(json, spec, random);

        json.WriteStartObject();
        json.WriteString("format", "pulse-github-dataset/1");
        json.WriteString("generatedAt", SyntheticPullRequestWriter.Time(GeneratedAt));
        json.WriteStartArray("owners");
        WriteOwner(json, OrganizationLogin, "Organization");
        if (spec.Repositories > 1) WriteOwner(json, UserLogin, "User");
        json.WriteEndArray();

        json.WriteStartArray("repositories");
        var global = 0;
        for (var r = 0; r < spec.Repositories; r++)
        {
            // The last repository belongs to a user: both owner kinds must be served.
            var owner = r == spec.Repositories - 1 && spec.Repositories > 1 ? UserLogin : OrganizationLogin;
            var name = $"repo-{r + 1:D3}";
            json.WriteStartObject();
            json.WriteString("id", $"R_kgDOSy{r + 1:D6}");
            json.WriteNumber("databaseId", 500_000_000L + r);
            json.WriteString("owner", owner);
            json.WriteString("name", name);
            json.WriteString("nameWithOwner", $"{owner}/{name}");
            json.WriteString("url", $"https://github.com/{owner}/{name}");
            json.WriteString("description", r % 3 == 0 ? null : $"Synthetic repository {r + 1}");
            json.WriteBoolean("isPrivate", r % 4 == 3);
            json.WriteBoolean("isArchived", false);
            json.WriteBoolean("isFork", false);
            json.WriteStartObject("defaultBranchRef"); json.WriteString("name", "main"); json.WriteEndObject();
            json.WriteStartObject("primaryLanguage"); json.WriteString("name", r % 2 == 0 ? "Go" : "C#"); json.WriteEndObject();
            json.WriteString("createdAt", SyntheticPullRequestWriter.Time(FirstCreated.AddDays(-30 - r)));
            json.WriteString("updatedAt", SyntheticPullRequestWriter.Time(LastCreated.AddDays(40)));
            json.WriteString("pushedAt", SyntheticPullRequestWriter.Time(LastCreated.AddDays(40)));
            json.WriteStartArray("pullRequests");
            var number = 0;
            for (var i = 0; i < perRepo[r]; i++, global++)
            {
                number += 1 + (random.NextDouble() < 0.3 ? random.Next(1, 4) : 0);   // issues share the numbers
                var shape = writer.Plan(tailAt.GetValueOrDefault(global));
                var created = FirstCreated + (LastCreated - FirstCreated) * ((i + random.NextDouble()) / Math.Max(1, perRepo[r]));
                writer.Write(owner, name, number, created, shape);
                if (global % 64 == 0) json.Flush();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
    }

    private static bool MakesHugeBody(Action<PullRequestShape, int> tail)
    {
        var probe = new PullRequestShape();
        tail(probe, 1);
        return probe.Body == BodyKind.Huge;
    }

    private static void WriteOwner(Utf8JsonWriter json, string login, string type)
    {
        json.WriteStartObject();
        json.WriteString("login", login);
        json.WriteString("__typename", type);
        json.WriteEndObject();
    }

    /// <summary>Skewed shares (weight 1/(r+1)): a few repositories hold most pull requests, as in real organisations.</summary>
    internal static int[] Share(int total, int repos)
    {
        var weights = Enumerable.Range(0, repos).Select(r => 1.0 / (r + 1)).ToArray();
        var sum = weights.Sum();
        var shares = weights.Select(w => (int)Math.Floor(total * w / sum)).ToArray();
        for (var i = 0; shares.Sum() < total; i = (i + 1) % repos) shares[i]++;
        return shares;
    }

    /// <summary>Which global pull-request index gets which tail; never index 0, so "shares a commit with the previous" has one.</summary>
    private static Dictionary<int, Action<PullRequestShape, int>> TailPositions(SyntheticSpec spec, Random random)
    {
        var tails = new Dictionary<int, Action<PullRequestShape, int>>();
        if ((spec.Tails == TailProfile.None && spec.Extreme == 0) || spec.PullRequests < 2) return tails;
        var slots = Enumerable.Range(1, spec.PullRequests - 1).ToArray();
        random.Shuffle(slots);
        var list = spec.Tails == TailProfile.None ? []
            : PullRequestShape.Tails.Where(tail => spec.BigBody || !MakesHugeBody(tail)).ToList();
        for (var i = 0; i < list.Count && i < slots.Length; i++) tails[slots[i]] = list[i];
        // Extreme pull requests take the next shuffled slots: no extra draws, so extreme=0 writes the same bytes as before.
        for (var i = list.Count; i < list.Count + spec.Extreme && i < slots.Length; i++) tails[slots[i]] = PullRequestShape.Extreme;
        return tails;
    }
}
