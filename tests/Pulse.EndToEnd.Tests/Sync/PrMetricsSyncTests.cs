using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Core.Metrics;
using Pulse.Core.Storage;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Issue 13's Done-when: pr_metrics equal an independent computation from the data set, and stay exact incrementally.</summary>
public sealed class PrMetricsSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string MetricsSql = """
        SELECT r.full_name AS pr_key, p.number AS pr_number, m.opened_as_draft, m.ready_at, m.draft_seconds, m.first_commit_at, m.first_review_at,
          m.coding_seconds, m.pickup_seconds, m.review_seconds, m.cycle_seconds, m.time_to_merge_seconds, m.review_requests, m.reviewers, m.approvals,
          m.changes_requested, m.rework_commits, m.force_pushes, m.size, m.changed_files, m.author_is_bot
        FROM pr_metrics m JOIN prs p ON p.id = m.pr_id JOIN repositories r ON r.id = p.repository_id
        """;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task PrMetrics_EveryPrOfTheDataSet_EqualAnIndependentComputation(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=3,prs=90,seed=5,big_body=false");
        var dataSet = Generate(spec);
        AssertHoldsEveryEdge(dataSet);
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness(backend);
        foreach (var owner in new[] { SyntheticDataset.OrganizationLogin, SyntheticDataset.UserLogin })
        {
            var result = await harness.SyncAsync(sim, owner, ct: Ct);
            Assert.True(result.Succeeded, result.Error);
        }

        var expected = DataSetMetrics.Of(dataSet);
        var actual = await MetricsAsync(harness);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (pr, metrics) in expected)
            Assert.Equal(Text(pr, metrics), Text(pr, actual[pr]));
        // The data set exercises the definitions: not every duration is null, and rework is found.
        Assert.Contains(actual.Values, m => m["rework_commits"] is not ("" or "0"));
        Assert.Contains(actual.Values, m => m["draft_seconds"] is not ("" or "0"));
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task IncrementalSync_ReadyReviewMerge_ChangesThosePrsAndTheSummaryOnly(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=80,seed=21,big_body=false");
        var org = SyntheticDataset.OrganizationLogin;
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness(backend);
        Assert.True((await harness.SyncAsync(sim, org, ct: Ct)).Succeeded);
        var before = await MetricsAsync(harness);
        var summaryBefore = await SummaryAsync(harness);

        var open = (await harness.RowsAsync($"""
            SELECT r.name AS repo, p.number AS number, p.is_draft AS draft, m.first_review_at AS reviewed, m.author_is_bot AS bot
            FROM prs p JOIN repositories r ON r.id = p.repository_id JOIN pr_metrics m ON m.pr_id = p.id WHERE p.state = 'OPEN' ORDER BY p.number
            """)).ToList();
        var draft = open.FirstOrDefault(p => p["draft"] == "1") ?? throw new InvalidOperationException("The data set has no open draft.");
        var ready = open.Where(p => p["draft"] == "0" && p["reviewed"] == "" && p["bot"] == "0").ToList();
        Assert.True(ready.Count >= 2, "The data set needs two open PRs waiting for review.");
        var (reviewed, merged) = (ready[0], ready[1]);

        await MutateAsync(sim, new JsonObject { ["op"] = "ready_for_review", ["owner"] = org, ["repo"] = draft["repo"], ["number"] = int.Parse(draft["number"]) });
        await MutateAsync(sim, new JsonObject
        {
            ["op"] = "add_review", ["owner"] = org, ["repo"] = reviewed["repo"], ["number"] = int.Parse(reviewed["number"]),
            ["review"] = new JsonObject { ["state"] = "APPROVED", ["body"] = "", ["author"] = new JsonObject { ["__typename"] = "User", ["login"] = "metrics-reviewer" } },
        });
        await MutateAsync(sim, new JsonObject { ["op"] = "merge_pr", ["owner"] = org, ["repo"] = merged["repo"], ["number"] = int.Parse(merged["number"]) });
        var second = await harness.SyncAsync(sim, org, ct: Ct);
        Assert.True(second.Succeeded, second.Error);

        var after = await MetricsAsync(harness);
        string Key(IReadOnlyDictionary<string, string> p) => $"{org}/{p["repo"]}#{p["number"]}";
        var changed = after.Keys.Where(k => Text(k, after[k]) != Text(k, before[k])).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { Key(draft), Key(reviewed), Key(merged) }.Order(StringComparer.Ordinal), changed);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));

        var (readied, review, merge) = (after[Key(draft)], after[Key(reviewed)], after[Key(merged)]);
        var readyEvent = (await harness.RowsAsync($"""
            SELECT e.created_at FROM prs_timeline_events e JOIN prs p ON p.id = e.pr_id JOIN repositories r ON r.id = p.repository_id
            WHERE r.name = '{draft["repo"]}' AND p.number = {draft["number"]} AND e.event_type = 'READY_FOR_REVIEW_EVENT' ORDER BY e.created_at DESC
            """))[0]["created_at"];
        Assert.Equal(before[Key(draft)]["ready_at"] == "" ? readyEvent : before[Key(draft)]["ready_at"], readied["ready_at"]);
        var submitted = (await harness.RowsAsync($"""
            SELECT v.submitted_at FROM prs_reviews v JOIN prs p ON p.id = v.pr_id JOIN repositories r ON r.id = p.repository_id
            WHERE r.name = '{reviewed["repo"]}' AND p.number = {reviewed["number"]} AND v.author_login = 'metrics-reviewer'
            """)).Single()["submitted_at"];
        Assert.Equal(submitted, review["first_review_at"]);
        Assert.Equal("1", review["reviewers"]);
        Assert.Equal("1", review["approvals"]);
        Assert.Equal("", before[Key(merged)]["cycle_seconds"]);
        Assert.NotEqual("", merge["cycle_seconds"]);
        Assert.NotEqual("", merge["time_to_merge_seconds"]);

        // The summary: one more merged PR in its week, and the reviewed and merged PRs no longer wait; the readied one does if unreviewed.
        var summaryAfter = await SummaryAsync(harness);
        var mergedAt = (await harness.RowsAsync($"""
            SELECT p.merged_at FROM prs p JOIN repositories r ON r.id = p.repository_id WHERE r.name = '{merged["repo"]}' AND p.number = {merged["number"]}
            """)).Single()["merged_at"];
        var week = MetricsSummary.IsoWeek(DateTimeOffset.Parse(mergedAt, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(summaryBefore.Groups.Sum(g => g.Count) + 1, summaryAfter.Groups.Sum(g => g.Count));
        Assert.Equal((summaryBefore.Groups.FirstOrDefault(g => g.Key == week)?.Count ?? 0) + 1, summaryAfter.Groups.Single(g => g.Key == week).Count);
        Assert.Equal(summaryBefore.Groups.Where(g => g.Key != week).Select(Json), summaryAfter.Groups.Where(g => g.Key != week).Select(Json));
        var waitingBefore = summaryBefore.Waiting.Select(w => $"{w.Repository}#{w.Number}").ToHashSet();
        var waitingAfter = summaryAfter.Waiting.Select(w => $"{w.Repository}#{w.Number}").ToHashSet();
        Assert.Contains(Key(reviewed), waitingBefore);
        Assert.Contains(Key(merged), waitingBefore);
        var expectedWaiting = waitingBefore.Except([Key(reviewed), Key(merged)]).ToHashSet();
        if (readied["first_review_at"] == "") expectedWaiting.Add(Key(draft));
        Assert.Equal(expectedWaiting.Order(StringComparer.Ordinal), waitingAfter.Order(StringComparer.Ordinal));
    }

    /// <summary>The edges the definitions have, each present in the data set, so the comparison above covers them.</summary>
    private static void AssertHoldsEveryEdge(JsonNode dataSet)
    {
        var prs = dataSet["repositories"]!.AsArray().SelectMany(r => r!["pullRequests"]!.AsArray()).Select(p => p!.AsObject()).ToList();
        string Drafts(JsonObject pr) => string.Join(",", (pr["timelineItems"] as JsonArray ?? [])
            .Select(e => (string)e!["__typename"]!).Where(t => t is "ReadyForReviewEvent" or "ConvertToDraftEvent"));
        var reviews = prs.SelectMany(p => p["reviews"]!.AsArray().Select(r => (Pr: p, Author: r!["author"]))).ToList();
        Assert.Contains(prs, p => Drafts(p).StartsWith("ReadyForReviewEvent", StringComparison.Ordinal));                       // drafts readied
        Assert.Contains(prs, p => Drafts(p).Contains("ConvertToDraftEvent,ReadyForReviewEvent", StringComparison.Ordinal));     // returned to draft and readied
        Assert.Contains(reviews, r => (string?)r.Author?["__typename"] == "Bot");                                                // bot reviewers
        Assert.Contains(reviews, r => r.Author is null);                                                                         // ghost reviewers
        Assert.Contains(reviews, r => r.Author is not null && (string?)r.Author["login"] == (string?)r.Pr["author"]?["login"]); // self-reviews
        Assert.Contains(prs, p => (p["timelineItems"] as JsonArray ?? []).Any(e => (string?)e!["__typename"] == "HeadRefForcePushedEvent"));
        Assert.Contains(prs, p => p["commits"]!.AsArray().Count == 0);                                                         // PRs without commits
    }

    private static async Task<Dictionary<string, Dictionary<string, string>>> MetricsAsync(SyncHarness harness) =>
        (await harness.RowsAsync(MetricsSql)).ToDictionary(r => $"{r["pr_key"]}#{r["pr_number"]}",
            r => r.Where(x => x.Key is not ("pr_key" or "pr_number")).ToDictionary(x => x.Key, x => x.Value));

    private static async Task<MetricsSummaryResult> SummaryAsync(SyncHarness harness)
    {
        var (storage, database) = await harness.OpenStorageAsync(Ct);
        await using (database)
        {
            var tenant = await storage.Tenants.EnsureTenantAsync("default", Ct);
            var merged = await storage.PrMetrics.ListAsync(new PrMetricsQuery(tenant.Id, State: "MERGED"), Ct);
            return MetricsSummary.Build("week", merged, await storage.PrMetrics.WaitingAsync(tenant.Id, null, Ct), SyntheticDataset.GeneratedAt);
        }
    }

    private static string Json(SummaryGroup g) => JsonSerializer.Serialize(g);

    private static string Text(string pr, IReadOnlyDictionary<string, string> metrics) =>
        pr + ": " + string.Join(", ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"));

    private static JsonNode Generate(SyntheticSpec spec)
    {
        using var stream = new MemoryStream();
        SyntheticDataset.Generate(spec, stream);
        return JsonNode.Parse(stream.ToArray())!;
    }

    private static async Task MutateAsync(GitHubSimulatorServer sim, JsonObject mutation)
    {
        using var http = sim.HttpClient();
        using var response = await http.PostAsync("/_sim/mutate", new StringContent(mutation.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
