using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Fixtures;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// GitHub text of realistic length, built from the recorded Apache DevLake fixture (161 real PRs: templated bodies
/// with licence headers and checklists, 444 real commit messages, real review bodies). What the recording lacks is
/// composed from its own text the way GitHub produces it: squash-merge commit messages list the branch's commit
/// messages, and long comments quote a section of the PR they discuss before answering.
/// </summary>
internal sealed class GitHubTexts
{
    private static readonly string[] Replies =
    [
        "LGTM", "lgtm", "Thanks!", "Nice catch.", "Could you add a test for this?", "Please rebase on main.",
        "This breaks the e2e tests on PostgreSQL, see the CI log.", "Why not reuse the existing helper here?",
        "Can we keep the old behaviour behind a flag until the next release?", "Done, PTAL.", "/lgtm", "/approve",
        "I think this needs a migration script as well, otherwise existing installations keep the old column.",
    ];

    private GitHubTexts(List<(string Title, string Body)> prs, List<string> commits, List<string> reviews)
    {
        PullRequests = prs;
        CommitMessages = commits;
        ReviewBodies = reviews;
    }

    public IReadOnlyList<(string Title, string Body)> PullRequests { get; }

    public IReadOnlyList<string> CommitMessages { get; }

    public IReadOnlyList<string> ReviewBodies { get; }

    public static GitHubTexts Load(string repositoryRoot)
    {
        string folder = Path.Combine(repositoryRoot, "third_party", "github-fixtures", FixtureConverter.DefaultFolder("devlake"));
        using var buffer = new MemoryStream();
        FixtureConverter.Convert(folder, "devlake", buffer);
        var prs = new List<(string, string)>();
        var commits = new List<string>();
        var reviews = new List<string>();
        foreach (var pr in JsonNode.Parse(buffer.ToArray())!["repositories"]!.AsArray().SelectMany(r => r!["pullRequests"]!.AsArray()))
        {
            prs.Add(((string?)pr!["title"] ?? "", (string?)pr["body"] ?? ""));
            commits.AddRange((pr["commits"]?.AsArray() ?? []).Select(c => (string?)c?["commit"]?["message"]).OfType<string>().Where(m => m.Trim().Length > 0));
            reviews.AddRange((pr["reviews"]?.AsArray() ?? []).Select(r => (string?)r?["body"]).OfType<string>().Where(b => b.Trim().Length > 0));
        }
        return new GitHubTexts(prs, commits, reviews);
    }

    /// <summary>A PR's embedded text (title, blank line, body), as Pulse builds it.</summary>
    public string PullRequestText(int i) => Pulse.Core.Embed.EmbeddingText.PullRequest(PullRequests[i].Title, PullRequests[i].Body);

    /// <summary>A one-line or multi-paragraph commit message; one in four is a squash merge listing 3–8 commits.</summary>
    public string CommitMessage(Random random)
    {
        if (random.Next(4) != 0)
        {
            return CommitMessages[random.Next(CommitMessages.Count)];
        }
        var listed = Enumerable.Range(0, random.Next(3, 9)).Select(_ => "* " + CommitMessages[random.Next(CommitMessages.Count)].Trim());
        return $"{PullRequests[random.Next(PullRequests.Count)].Title} (#{random.Next(6_000, 8_000)})\n\n{string.Join("\n\n", listed)}";
    }

    /// <summary>Half short replies and review bodies, half long comments quoting a section of a real PR body.</summary>
    public string Comment(Random random)
    {
        if (random.Next(2) == 0)
        {
            return random.Next(3) == 0 ? ReviewBodies[random.Next(ReviewBodies.Count)] : Replies[random.Next(Replies.Length)];
        }
        string body = PullRequests[random.Next(PullRequests.Count)].Body;
        string[] paragraphs = body.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string quoted = paragraphs.Length == 0 ? body : string.Join("\r\n\r\n", paragraphs.Skip(random.Next(paragraphs.Length)).Take(3));
        string quote = string.Join("\r\n", quoted.Split("\r\n").Select(line => "> " + line));
        return $"{quote}\r\n\r\n{Replies[random.Next(Replies.Length)]} {CommitMessages[random.Next(CommitMessages.Count)].Split('\n')[0]}";
    }

    /// <summary>
    /// <paramref name="count"/> distinct texts in an organisation's proportions (per PR: its own text, ~3 commit
    /// messages, ~1 review body, ~4 comments), shuffled as transform pages interleave them.
    /// </summary>
    public string[] Mix(int count, int seed)
    {
        var random = new Random(seed);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < PullRequests.Count && texts.Count < count / 9; i++)
        {
            texts.Add(PullRequestText(i));
        }
        while (texts.Count < count)
        {
            int kind = random.Next(8);
            texts.Add(kind < 3 ? CommitMessage(random) : kind < 4 ? ReviewBodies[random.Next(ReviewBodies.Count)] : Comment(random));
        }
        var shuffled = texts.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }
}
