using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.GitHubSimulator.Tests.Synthetic;

public sealed class SyntheticDatasetTests
{
    private static readonly Lazy<JsonObject> Normal = new(() => Generate(new SyntheticSpec { Repositories = 4, PullRequests = 60, Seed = 7 }));

    private static JsonObject Generate(SyntheticSpec spec)
    {
        using var stream = new MemoryStream();
        SyntheticDataset.Generate(spec, stream);
        return (JsonObject)JsonNode.Parse(stream.ToArray())!;
    }

    private static IEnumerable<JsonObject> Prs(JsonObject data) =>
        data["repositories"]!.AsArray().SelectMany(r => r!["pullRequests"]!.AsArray()).Cast<JsonObject>();

    private static int Count(JsonObject pr, string connection) => pr[connection]!.AsArray().Count;

    [Fact]
    public void Generate_SameSpec_WritesSameBytes()
    {
        var spec = new SyntheticSpec { Repositories = 3, PullRequests = 30, Seed = 3 };
        using var a = new MemoryStream();
        using var b = new MemoryStream();

        SyntheticDataset.Generate(spec, a);
        SyntheticDataset.Generate(spec, b);

        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void Generate_Extreme_AddsPullRequestsOfThe300Commit500Comment80ThreadShape()
    {
        var spec = new SyntheticSpec { Repositories = 3, PullRequests = 60, Seed = 7, Tails = TailProfile.Heavy, Extreme = 2 };
        var extreme = Prs(Generate(spec)).Where(p => Count(p, "comments") == 500).ToList();

        Assert.Equal(2, extreme.Count);
        Assert.All(extreme, p => Assert.Equal(300, Count(p, "commits")));
        Assert.All(extreme, p => Assert.Equal(80, Count(p, "reviewThreads")));
    }

    [Fact]
    public void Generate_ExtremeZero_WritesTheSameBytesAsWithoutIt()
    {
        var spec = new SyntheticSpec { Repositories = 3, PullRequests = 40, Seed = 5, Tails = TailProfile.Heavy };
        Assert.Equal(Generate(spec).ToJsonString(), Generate(SyntheticSpec.Parse(spec + ",extreme=0")).ToJsonString());
        Assert.Equal(spec, SyntheticSpec.Parse(spec.ToString()));
    }

    [Fact]
    public void Generate_OtherSeed_WritesOtherData()
    {
        Assert.NotEqual(Generate(new SyntheticSpec { Seed = 1 }).ToJsonString(), Generate(new SyntheticSpec { Seed = 2 }).ToJsonString());
    }

    [Fact]
    public void Generate_NormalTails_HasLongConnections()
    {
        var prs = Prs(Normal.Value).ToList();

        Assert.Equal(60, prs.Count);
        Assert.Contains(prs, p => Count(p, "commits") is > 100 and <= 250);
        Assert.Contains(prs, p => Count(p, "commits") > 250);
        Assert.Contains(prs, p => Count(p, "comments") > 100);
        Assert.Contains(prs, p => Count(p, "reviews") > 100);
        Assert.Contains(prs, p => Count(p, "reviewThreads") > 100);
        Assert.Contains(prs, p => p["reviewThreads"]!.AsArray().Any(t => t!["comments"]!.AsArray().Count > 100));
        Assert.True(prs.Count(p => Count(p, "commits") <= 5) > prs.Count / 2, "most PRs are small");
    }

    [Fact]
    public void Generate_NormalTails_HasOddAuthorsAndText()
    {
        var prs = Prs(Normal.Value).ToList();

        Assert.Contains(prs, p => p["author"] is null);
        Assert.Contains(prs, p => (string?)p["author"]?["__typename"] == "Bot" && !((string)p["author"]!["login"]!).EndsWith("[bot]", StringComparison.Ordinal));
        Assert.Contains(prs, p => (string?)p["author"]?["__typename"] == "Mannequin");
        Assert.Contains(prs, p => (string)p["body"]! == "");
        Assert.Contains(prs, p => ((string)p["body"]!).Length >= 1_000_000);
        Assert.Contains(prs, p => ((string)p["title"]!).Contains('\u0000') && ((string)p["title"]!).Contains("🚀") && ((string)p["title"]!).Contains("إصلاح"));
    }

    [Fact]
    public void Generate_NormalTails_HasEveryStateAndSharedCommit()
    {
        var prs = Prs(Normal.Value).ToList();

        Assert.Contains(prs, p => (bool)p["isDraft"]!);
        Assert.Contains(prs, p => (string)p["state"]! == "CLOSED" && p["mergedAt"] is null);
        Assert.Contains(prs, p => (string)p["state"]! == "MERGED");
        Assert.Contains(prs, p => (string)p["state"]! == "OPEN" && p["comments"]!.AsArray().Any(c => ((string)c!["body"]!).StartsWith("Reopening", StringComparison.Ordinal)));
        var oidOwners = prs.SelectMany(p => p["commits"]!.AsArray().Select(c => ((string)c!["commit"]!["oid"]!, (string)p["id"]!)))
            .Distinct().GroupBy(x => x.Item1);
        Assert.Contains(oidOwners, g => g.Count() >= 2);
    }

    [Fact]
    public void Generate_NormalTails_ReviewCommentsReplyAndReferenceTheirReview()
    {
        var prs = Prs(Normal.Value).ToList();
        var threaded = prs.Where(p => Count(p, "reviewThreads") > 0).ToList();

        Assert.NotEmpty(threaded);
        foreach (var pr in threaded)
        {
            var reviewIds = pr["reviews"]!.AsArray().Select(r => (string)r!["id"]!).ToHashSet();
            foreach (var thread in pr["reviewThreads"]!.AsArray())
            {
                var comments = thread!["comments"]!.AsArray();
                Assert.Null(comments[0]!["replyTo"]);
                Assert.All(comments.Skip(1), c => Assert.Equal((string)comments[0]!["id"]!, (string)c!["replyTo"]!["id"]!));
                Assert.All(comments, c => Assert.Contains((string)c!["pullRequestReview"]!["id"]!, reviewIds));
            }
        }
    }

    [Fact]
    public void Generate_Ids_AreUniqueAndSomeDatabaseIdsExceed2To31()
    {
        var ids = new List<string>();
        var databaseIds = new List<long>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["id"] is JsonValue id) ids.Add((string)id!);
                    if (o["databaseId"] is JsonValue db) databaseIds.Add((long)db);
                    // References, shared labels and accounts and teams (one id per account, wherever it appears) repeat ids.
                    foreach (var (key, child) in o)
                        if (key is not ("replyTo" or "pullRequestReview" or "labels" or "author" or "mergedBy" or "resolvedBy" or "assignees" or "user" or "actor" or "requestedReviewer")) Walk(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Walk(child);
                    break;
            }
        }

        Walk(Normal.Value);

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains(databaseIds, id => id > int.MaxValue);
        Assert.Contains(databaseIds, id => id < int.MaxValue);
    }

    [Fact]
    public void Generate_Timestamps_AreOrderedAndBeforeGeneratedAt()
    {
        var data = Normal.Value;
        var generatedAt = Time(data["generatedAt"]);

        foreach (var pr in Prs(data))
        {
            var (created, updated) = (Time(pr["createdAt"]), Time(pr["updatedAt"]));
            Assert.True(created < updated);
            Assert.True(updated < generatedAt);
            foreach (var c in pr["comments"]!.AsArray().Concat(pr["reviews"]!.AsArray()))
                Assert.InRange(Time(c!["createdAt"]), created, updated);
            var times = pr["comments"]!.AsArray().Select(c => Time(c!["createdAt"])).ToList();
            Assert.Equal(times.Order(), times);
        }
    }

    [Fact]
    public void Generate_NoTails_HasNoHugeConnections()
    {
        var prs = Prs(Generate(new SyntheticSpec { PullRequests = 200, Tails = TailProfile.None })).ToList();

        Assert.All(prs, p => Assert.True(Count(p, "commits") <= 100 && Count(p, "comments") <= 100 && ((string)p["body"]!).Length < 10_000));
    }

    [Fact]
    public void Generate_TenThousandPrs_StreamsAndLoads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pulse-synth-{Guid.NewGuid():N}.json");
        try
        {
            using (var file = File.Create(path))
                SyntheticDataset.Generate(new SyntheticSpec { Repositories = 20, PullRequests = 10_000, Seed = 9, Tails = TailProfile.Heavy }, file);

            var data = SimulatorDataLoader.LoadFile(path);

            Assert.Equal(10_000, data.Counts["pullRequests"]);
            Assert.Equal(20, data.Counts["repositories"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);
}
