using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.Fixtures;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.Fixtures;

public sealed class FixtureConverterTests
{
    private static JsonObject Convert(string kind)
    {
        using var stream = new MemoryStream();
        FixtureConverter.Convert(RepositoryPaths.FixtureFolder(kind), kind, stream);
        return (JsonObject)JsonNode.Parse(stream.ToArray())!;
    }

    private static JsonObject Repo(JsonObject data, string owner, string name) =>
        data["repositories"]!.AsArray().Cast<JsonObject>().Single(r => (string)r["owner"]! == owner && (string)r["name"]! == name);

    private static JsonObject Pr(JsonObject repo, int number) =>
        repo["pullRequests"]!.AsArray().Cast<JsonObject>().Single(p => (int)p["number"]! == number);

    [Fact]
    public void Convert_Mergestat_KeepsRecordedExtraFieldsAndCounts()
    {
        var data = Convert("mergestat");
        var repo = Repo(data, "mergestat", "mergestat");
        var pr = repo["pullRequests"]!.AsArray().Cast<JsonObject>().First();

        Assert.Equal("pulse-github-dataset/1", (string)data["format"]!);
        Assert.True(pr.ContainsKey("activeLockReason"));
        Assert.Equal("MEMBER", (string)pr["authorAssociation"]!);
        Assert.StartsWith("https://avatars.githubusercontent.com/", (string)pr["author"]!["avatarUrl"]!);
        Assert.Equal("mergestat/mergestat", (string)pr["baseRepository"]!["nameWithOwner"]!);
        Assert.True(repo["pullRequests"]!.AsArray().Count >= 50);
        Assert.Single(Pr(repo, 193)["commits"]!.AsArray());
        Assert.NotNull(Repo(data, "askgitdev", "askgit"));
    }

    [Fact]
    public void Convert_Mergestat_ReviewCommentCountsBecomeThreadsOfThatReview()
    {
        var pr = Pr(Repo(Convert("mergestat"), "mergestat", "mergestat"), 261);
        var review = pr["reviews"]!.AsArray().Cast<JsonObject>().First();

        var comments = pr["reviewThreads"]!.AsArray().SelectMany(t => t!["comments"]!.AsArray())
            .Count(c => (string?)c!["pullRequestReview"]!["id"] == (string)review["id"]!);

        Assert.Equal(1, comments);
    }

    [Fact]
    public void Convert_Mergestat_ForkHeadRepositoryBecomesARepositoryLinkedById()
    {
        var data = Convert("mergestat");
        var fork = Repo(data, "OutOfBrain", "gitqlite");

        var linked = Repo(data, "mergestat", "mergestat")["pullRequests"]!.AsArray()
            .Where(p => (string?)p!["headRepository"]?["id"] == (string)fork["id"]!);

        Assert.NotEmpty(linked);
    }

    [Fact]
    public void Convert_DevLake_MapsPascalCaseAndKeepsEveryCommitCount()
    {
        var data = Convert("devlake");
        var repo = Repo(data, "apache", "incubator-devlake");
        var pr = Pr(repo, 7725);

        Assert.Equal(161, repo["pullRequests"]!.AsArray().Count);
        Assert.Equal(115, pr["commits"]!.AsArray().Count);
        Assert.Equal(40, ((string)pr["commits"]![0]!["commit"]!["oid"]!).Length);
        Assert.True(pr.ContainsKey("databaseId") && pr.ContainsKey("headRefOid") && pr.ContainsKey("mergedAt"));
        Assert.Equal("https://github.com/" + (string)pr["author"]!["login"]!, (string)pr["author"]!["url"]!);
        Assert.Contains(data["repositories"]!.AsArray(), r => (string)r!["owner"]! == "facebook" && (string)r["name"]! == "react");
    }

    [Fact]
    public void Convert_GhTalk_MergesThreadSnapshotsIntoPullRequestOne()
    {
        var data = Convert("ghtalk");
        var repo = Repo(data, "hamishmorgan", "gh-talk");
        var pr = Pr(repo, 1);

        Assert.Equal(4, pr["reviewThreads"]!.AsArray().Count);
        Assert.Contains(pr["reviewThreads"]!.AsArray(), t => (bool)t!["isResolved"]! && t["resolvedBy"] is JsonObject);
        Assert.Equal(2, (int)repo["issues"]![0]!["number"]!);
    }

    [Theory]
    [InlineData("mergestat")]
    [InlineData("devlake")]
    [InlineData("ghtalk")]
    public void Convert_EveryKind_LoadsInTheSimulator(string kind)
    {
        using var stream = new MemoryStream();
        FixtureConverter.Convert(RepositoryPaths.FixtureFolder(kind), kind, stream);
        stream.Position = 0;

        var data = SimulatorDataLoader.Load(stream);

        Assert.True(data.Counts["pullRequests"] > 0);
    }

    [Theory]
    [InlineData("mergestat")]
    [InlineData("devlake")]
    [InlineData("ghtalk")]
    public void Convert_RecordingsWithoutTimelines_PullRequestsHaveNoTimelineItemsKey(string kind)
    {
        var prs = Convert(kind)["repositories"]!.AsArray().SelectMany(r => r!["pullRequests"]!.AsArray()).ToList();

        Assert.NotEmpty(prs);
        Assert.All(prs, pr => Assert.False(pr!.AsObject().ContainsKey("timelineItems")));
    }

    [Fact]
    public void Convert_RecordedTimeline_KeepsItsEventsNeverPaddedToTotalCount()
    {
        var folder = Directory.CreateTempSubdirectory("pulse-recorded-timeline-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "pr_full_response.json"), """
                {"data":{"repository":{"pullRequest":{"url":"https://github.com/acme/widgets/pull/5","number":5,"title":"t",
                  "createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-03T00:00:00Z",
                  "timelineItems":{"totalCount":57,"filteredCount":4,"pageCount":4,"pageInfo":{"hasNextPage":false,"endCursor":"x"},"nodes":[
                    {"__typename":"ReadyForReviewEvent","id":"RFRE_r1","createdAt":"2025-01-01T01:00:00Z","actor":{"login":"jane"}},
                    {"__typename":"IssueComment","id":"IC_r1","createdAt":"2025-01-01T02:00:00Z","body":"served from comments"},
                    {"id":"X_r1","createdAt":"2025-01-01T03:00:00Z"},
                    {"__typename":"MergedEvent","id":"ME_r1","createdAt":"2025-01-02T00:00:00Z","actor":{"login":"renovate","url":"https://github.com/apps/renovate"},"mergeRefName":"main"}]}}}}}
                """);
            using var stream = new MemoryStream();
            FixtureConverter.Convert(folder.FullName, "ghtalk", stream);
            var pr = Pr(Repo((JsonObject)JsonNode.Parse(stream.ToArray())!, "acme", "widgets"), 5);

            Assert.Equal("""[{"__typename":"ReadyForReviewEvent","id":"RFRE_r1","createdAt":"2025-01-01T01:00:00Z","actor":{"login":"jane","__typename":"User"}},"""
                + """{"__typename":"MergedEvent","id":"ME_r1","createdAt":"2025-01-02T00:00:00Z","actor":{"login":"renovate","url":"https://github.com/apps/renovate","__typename":"Bot"},"mergeRefName":"main"}]""",
                pr["timelineItems"]!.ToJsonString());
            stream.Position = 0;
            Assert.Equal(2, SimulatorDataLoader.Load(stream).Counts["timelineItems"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Convert_UnknownKind_ThrowsNamingTheKinds()
    {
        var error = Assert.Throws<ArgumentException>(() => FixtureConverter.Convert(RepositoryPaths.Fixtures, "rest", Stream.Null));

        Assert.Contains("mergestat, devlake, ghtalk", error.Message);
    }
}
