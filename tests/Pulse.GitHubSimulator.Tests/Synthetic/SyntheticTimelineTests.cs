using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.Synthetic;

/// <summary>Every generated pull request's timeline agrees with the rest of it, and the data set holds every kind of history.</summary>
public sealed class SyntheticTimelineTests
{
    private static readonly SyntheticSpec Small = new() { Repositories = 4, PullRequests = 60, Seed = 7 };
    private static readonly Lazy<JsonObject> SmallData = new(() => Generate(Small));
    private static readonly Lazy<JsonObject> HeavyData = new(() => Generate(SyntheticSpec.Parse("repos=6,prs=1000,seed=3,tails=heavy,big_body=false")));
    private static readonly Lazy<JsonObject> PlainData = new(() => Generate(SyntheticSpec.Parse("repos=2,prs=80,seed=5,tails=none")));

    private static JsonObject Generate(SyntheticSpec spec)
    {
        using var stream = new MemoryStream();
        SyntheticDataset.Generate(spec, stream);
        return (JsonObject)JsonNode.Parse(stream.ToArray())!;
    }

    private static List<JsonObject> Prs(JsonObject data) =>
        [.. data["repositories"]!.AsArray().SelectMany(r => r!["pullRequests"]!.AsArray()).Cast<JsonObject>()];

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    private static List<JsonObject> Events(JsonObject pr, params string[] types) =>
        [.. pr["timelineItems"]!.AsArray().Cast<JsonObject>().Where(e => types.Length == 0 || types.Contains((string)e["__typename"]!))];

    private static string? Reviewer(JsonNode? requested) => (string?)requested?["login"] ?? (string?)requested?["slug"];

    public static TheoryData<string> DataSets => ["small", "heavy", "plain"];

    private static JsonObject DataSet(string name) => name switch { "small" => SmallData.Value, "heavy" => HeavyData.Value, _ => PlainData.Value };

    [Theory]
    [MemberData(nameof(DataSets))]
    public void Generate_EveryPullRequest_TimelineConsistentWithTheRest(string dataSet)
    {
        foreach (var pr in Prs(DataSet(dataSet)))
        {
            var label = $"{pr["id"]} ({dataSet})";
            var (created, updated, state) = (Time(pr["createdAt"]), Time(pr["updatedAt"]), (string)pr["state"]!);
            var events = Events(pr);
            var times = events.Select(e => Time(e["createdAt"])).ToList();
            Assert.True(times.Zip(times.Skip(1)).All(t => t.First <= t.Second), $"{label}: events oldest first");
            Assert.All(times, t => Assert.True(t >= created && t <= updated, $"{label}: event at {t:O} outside the pull request's life"));

            // Drafts: opened as a draft when the first draft event readies it (or none and still draft); each event flips the state it found.
            var draftEvents = Events(pr, "ReadyForReviewEvent", "ConvertToDraftEvent");
            var draft = draftEvents.Count > 0 ? (string)draftEvents[0]["__typename"]! == "ReadyForReviewEvent" : (bool)pr["isDraft"]!;
            foreach (var e in draftEvents)
            {
                Assert.Equal((string)e["__typename"]! == "ReadyForReviewEvent", draft);
                draft = !draft;
            }
            Assert.True((bool)pr["isDraft"]! == draft, $"{label}: isDraft agrees with its last draft event");

            // Merges and closings: one MergedEvent at mergedAt; a closed PR ends on a ClosedEvent at closedAt; reopenings in between.
            var merged = Events(pr, "MergedEvent");
            Assert.Equal(state == "MERGED" ? 1 : 0, merged.Count);
            if (state == "MERGED")
            {
                Assert.Equal((string?)pr["mergedAt"], (string?)merged[0]["createdAt"]);
                Assert.Equal((string?)pr["mergeCommit"]!["oid"], (string?)merged[0]["commit"]!["oid"]);
                Assert.Equal(pr["mergedBy"]!.ToJsonString(), merged[0]["actor"]!.ToJsonString());
                Assert.False(draft);
            }
            var closings = Events(pr, "ClosedEvent", "ReopenedEvent").Select(e => (string)e["__typename"]!).ToList();
            Assert.Equal(closings.Select((_, i) => i % 2 == 0 ? "ClosedEvent" : "ReopenedEvent"), closings);
            Assert.Equal(state == "OPEN" ? 0 : 1, closings.Count % 2);
            if (state != "OPEN") Assert.Equal((string?)pr["closedAt"], (string?)Events(pr, "ClosedEvent")[^1]["createdAt"]);

            // Force pushes replaced a head that is gone with one that is listed.
            var oids = pr["commits"]!.AsArray().Select(c => (string)c!["commit"]!["oid"]!).ToHashSet();
            var authored = pr["commits"]!.AsArray().ToDictionary(c => (string)c!["commit"]!["oid"]!, c => Time(c!["commit"]!["authoredDate"]));
            foreach (var push in Events(pr, "HeadRefForcePushedEvent"))
            {
                Assert.DoesNotContain((string)push["beforeCommit"]!["oid"]!, oids);
                Assert.Contains((string)push["afterCommit"]!["oid"]!, oids);
                // A push puts a commit at the head after it was authored (rework commits come after the first review).
                Assert.True(authored[(string)push["afterCommit"]!["oid"]!] <= Time(push["createdAt"]));
            }
            if (oids.Count == 0)
            {
                Assert.Equal("CLOSED", state);
                Assert.Equal((string?)pr["baseRefOid"], (string?)pr["headRefOid"]);
                Assert.Equal("0/0/0", $"{pr["additions"]}/{pr["deletions"]}/{pr["changedFiles"]}");
            }

            // Review requests: of users, teams and bots; before the requested reviewer's first review; removed only once made.
            var requests = Events(pr, "ReviewRequestedEvent");
            foreach (var request in requests.Concat(Events(pr, "ReviewRequestRemovedEvent")))
            {
                var reviewer = request["requestedReviewer"]!;
                Assert.Contains((string)reviewer["__typename"]!, new[] { "User", "Team", "Bot" });
                if ((string)reviewer["__typename"]! == "Team") Assert.True(reviewer["name"] is not null && reviewer["slug"] is not null);
                else Assert.False(((string)reviewer["login"]!).EndsWith("[bot]", StringComparison.Ordinal));
            }
            foreach (var removed in Events(pr, "ReviewRequestRemovedEvent"))
                Assert.Contains(requests, r => Reviewer(r["requestedReviewer"]) == Reviewer(removed["requestedReviewer"]) && Time(r["createdAt"]) <= Time(removed["createdAt"]));
            var reviews = pr["reviews"]!.AsArray().Cast<JsonObject>().ToList();
            foreach (var group in reviews.Where(r => r["author"] is not null).GroupBy(r => (string)r["author"]!["login"]!))
            {
                var asked = requests.Where(r => Reviewer(r["requestedReviewer"]) == group.Key).Select(r => Time(r["createdAt"])).ToList();
                if (asked.Count > 0) Assert.True(asked.Min() <= group.Min(r => Time(r["createdAt"])), $"{label}: {group.Key} was asked before reviewing");
            }
            // GitHub refuses self-approval; the review bots only comment.
            Assert.All(reviews.Where(r => r["author"] is not null && pr["author"] is not null && r["author"]!.ToJsonString() == pr["author"]!.ToJsonString()),
                r => Assert.Equal("COMMENTED", (string?)r["state"]));
        }
    }

    [Theory]
    [MemberData(nameof(DataSets))]
    public void Generate_AnyDataSet_HoldsEveryKindOfHistory(string dataSet)
    {
        var prs = Prs(DataSet(dataSet));
        string Kinds(JsonObject pr) => string.Join(",", Events(pr, "ReadyForReviewEvent", "ConvertToDraftEvent").Select(e => ((string)e["__typename"]!)[..4]));
        var requested = prs.SelectMany(p => Events(p, "ReviewRequestedEvent")).Select(e => (string)e["requestedReviewer"]!["__typename"]!).ToHashSet();
        var reviewers = prs.SelectMany(p => p["reviews"]!.AsArray().Select(r => (Pr: p, Author: r!["author"]))).ToList();

        Assert.Contains(prs, p => Kinds(p) == "Read" && !(bool)p["isDraft"]!);            // opened as a draft, readied
        Assert.Contains(prs, p => Kinds(p).StartsWith("Read,Conv,Read", StringComparison.Ordinal));   // returned to draft and readied again
        Assert.Contains(prs, p => (bool)p["isDraft"]! && Kinds(p).EndsWith("Conv", StringComparison.Ordinal));   // still a draft after a return
        Assert.Equal(["Bot", "Team", "User"], requested.Order());
        Assert.Contains(prs, p => Events(p, "ReviewRequestRemovedEvent").Count > 0);
        Assert.Contains(prs, p => Events(p, "HeadRefForcePushedEvent").Count > 0);
        Assert.Contains(prs, p => Events(p, "ReopenedEvent").Count > 0 && (string)p["state"]! == "CLOSED");
        Assert.Contains(prs, p => p["commits"]!.AsArray().Count == 0);
        // Rework: commits authored after the first review, before the PR closed.
        Assert.Contains(prs, p => p["reviews"]!.AsArray().Count > 0 && p["commits"]!.AsArray().Any(c =>
            Time(c!["commit"]!["authoredDate"]) > p["reviews"]!.AsArray().Min(r => Time(r!["submittedAt"]))));
        Assert.Contains(prs, p => p["labels"]!.AsArray().Count > 0);
        Assert.Contains(prs, p => (string?)p["author"]?["__typename"] == "Bot");
        Assert.Contains(reviewers, r => (string?)r.Author?["__typename"] == "Bot" && !((string)r.Author!["login"]!).EndsWith("[bot]", StringComparison.Ordinal));
        Assert.Contains(reviewers, r => r.Author is null);
        Assert.Contains(reviewers, r => r.Pr["author"] is not null && r.Author?.ToJsonString() == r.Pr["author"]!.ToJsonString());
    }

    [Fact]
    public void Generate_Timelines_LeaveTheSeedsOtherDrawsAsBefore()
    {
        // SHA-256 of every PR's text, times, states, refs and its reviews', comments' and threads' ids, times and text,
        // taken from the generator before timelines existed (d67cdf1): the timeline's draws are its own.
        const string BeforeTimelines = "790E473406CBD44C6BE22A8D215CF69640E65A97EAAE9F226C3E53BCA4CFDA6D";
        static string S(JsonNode? n) => n switch { null => "", JsonValue v when v.TryGetValue<string>(out var s) => s, _ => n.ToJsonString() };
        var lines = Prs(SmallData.Value).Select(p =>
        {
            var f = new List<string>();
            f.AddRange(new[] { "number", "title", "body", "createdAt", "updatedAt", "closedAt", "mergedAt", "state", "isDraft", "headRefName", "baseRefOid" }.Select(k => S(p[k])));
            f.Add(S(p["mergeCommit"]?["oid"]));
            f.Add(S(p["mergedBy"]?["login"]));
            foreach (var r in p["reviews"]!.AsArray()) f.AddRange([S(r!["id"]), S(r["createdAt"]), S(r["body"])]);
            foreach (var c in p["comments"]!.AsArray()) f.AddRange([S(c!["id"]), S(c["createdAt"]), S(c["body"])]);
            foreach (var t in p["reviewThreads"]!.AsArray())
            {
                f.AddRange([S(t!["id"]), S(t["path"])]);
                foreach (var c in t["comments"]!.AsArray()) f.AddRange([S(c!["id"]), S(c["body"])]);
            }
            return string.Join('\u001f', f);
        });

        Assert.Equal(BeforeTimelines, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)))));
    }

    [Fact]
    public async Task Serve_SyntheticTimelines_AsTheDataSetHoldsThem()
    {
        await using var sim = await LiveSimulator.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, Synthetic = Small });
        var served = new Dictionary<string, string>();
        foreach (var repo in SmallData.Value["repositories"]!.AsArray())
        {
            var body = await sim.QueryAsync($$"""
                { repository(owner: "{{repo!["owner"]}}", name: "{{repo["name"]}}") { pullRequests(first: 100) { nodes { id
                  timelineItems(first: 100, itemTypes: [{{TimelineDataSet.AllEventTypes}}]) { filteredCount nodes { ... on Node { id } } } } } } }
                """);
            foreach (var pr in body["data"]!["repository"]!["pullRequests"]!["nodes"]!.AsArray())
            {
                var ids = pr!["timelineItems"]!["nodes"]!.AsArray().Select(n => (string)n!["id"]!).ToList();
                Assert.Equal(ids.Count, (int)pr["timelineItems"]!["filteredCount"]!);
                served[(string)pr["id"]!] = string.Join(",", ids);
            }
        }

        var expected = Prs(SmallData.Value).ToDictionary(p => (string)p["id"]!, p => string.Join(",", Events(p).Select(e => (string)e["id"]!)));
        Assert.Equal(expected.OrderBy(e => e.Key), served.OrderBy(e => e.Key));
    }
}
