using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Server.Tests.Server.Webhooks;

/// <summary>The simulator's deliveries reaching a real server over HTTP, and the PRs they name refreshed through the pipeline, on both backends.</summary>
public sealed class WebhookRefreshTests
{
    private const string Data = "repos=2,prs=16,seed=5,big_body=false";

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task EveryEventKind_RefreshesTheRightPullRequestCompletely(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await WebhookRig.StartAsync(Data, dropRate: 0, backend, ct);
        await rig.SyncAsync();
        var open = (await ServerHarness.ReadAsync(await rig.Client.GetAsync("/api/prs?state=open&page_size=100", ct))).GetProperty("items")
            .EnumerateArray().Select(p => (Repo: p.GetProperty("repository").GetString()!, Number: p.GetProperty("number").GetInt32(), Draft: p.GetProperty("is_draft").GetBoolean()))
            .OrderBy(p => p.Draft).ToList();
        Assert.True(open.Count >= 2, "the data set needs two open PRs");
        var (pr, other) = (open[0], open[1]);
        var before = await rig.DetailsAsync();
        var user = new JsonObject { ["__typename"] = "User", ["login"] = "webhook-tester" };

        JsonObject Op(string op, JsonObject? extra = null, (string Repo, int Number)? target = null)
        {
            var (r, n) = target ?? (pr.Repo, pr.Number);
            var m = new JsonObject { ["op"] = op, ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = r.Split('/')[1], ["number"] = n, ["actor"] = user.DeepClone() };
            foreach (var (k, v) in extra ?? []) m[k] = v?.DeepClone();
            return m;
        }
        async Task<JsonElement> Step(JsonObject mutation, Func<JsonElement, bool> applied, (string Repo, int Number)? target = null)
        {
            // Each delivery of the change is answered, stored and acted on; none fails.
            await rig.ApplyAsync(mutation);
            var (r, n) = target ?? (pr.Repo, pr.Number);
            var detail = await rig.DetailAsync(r, n);
            Assert.True(applied(detail), $"{mutation["op"]} is not in PR {r}#{n}: {detail}");
            return detail;
        }
        static IEnumerable<string?> Bodies(JsonElement d, string list) => d.GetProperty(list).EnumerateArray().Select(x => x.GetProperty("body").GetString());

        if (pr.Draft) await Step(Op("ready_for_review"), d => !d.GetProperty("summary").GetProperty("is_draft").GetBoolean());
        await Step(Op("edit_pr", new JsonObject { ["fields"] = new JsonObject { ["title"] = "Retitled by a webhook" } }),
            d => d.GetProperty("summary").GetProperty("title").GetString() == "Retitled by a webhook");
        var comment = await rig.MutateAsync(Op("add_comment", new JsonObject { ["comment"] = new JsonObject { ["body"] = "issue comment via webhook", ["author"] = user.DeepClone() } }));
        await WebhookRig.WaitForAsync(() => rig.DetailAsync(pr.Repo, pr.Number), d => Bodies(d, "comments").Contains("issue comment via webhook"), "the issue comment");
        await Step(Op("add_review", new JsonObject { ["review"] = new JsonObject { ["state"] = "CHANGES_REQUESTED", ["body"] = "review via webhook", ["author"] = user.DeepClone() } }),
            d => Bodies(d, "reviews").Contains("review via webhook"));
        var thread = await rig.MutateAsync(Op("add_thread", new JsonObject
        {
            ["thread"] = new JsonObject
            {
                ["isResolved"] = false, ["isOutdated"] = false, ["isCollapsed"] = false, ["path"] = "src/hook.go", ["line"] = 7, ["startLine"] = null, ["diffSide"] = "RIGHT",
                ["resolvedBy"] = null,
                ["comments"] = new JsonArray(Comment("first thread comment via webhook", user), Comment("second thread comment via webhook", user)),
            },
        }));
        await WebhookRig.WaitForAsync(() => rig.DetailAsync(pr.Repo, pr.Number), d => Bodies(d, "comments").Contains("second thread comment via webhook")
            && d.GetProperty("threads").EnumerateArray().Any(t => t.GetProperty("node_id").GetString() == (string)thread["id"]!), "the new thread");
        await Step(Op("add_thread_comment", new JsonObject { ["threadId"] = thread["id"]!.DeepClone(), ["comment"] = Comment("reply via webhook", user) }),
            d => Bodies(d, "comments").Contains("reply via webhook"));
        await Step(Op("delete_comment", new JsonObject { ["id"] = comment["id"]!.DeepClone() }), d => !Bodies(d, "comments").Contains("issue comment via webhook"));
        await Step(Op("force_push", new JsonObject { ["commits"] = new JsonArray(Commit("f00d000000000000000000000000000000000001"), Commit("f00d000000000000000000000000000000000002")) }),
            d => d.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("oid").GetString()).SequenceEqual(["f00d000000000000000000000000000000000001", "f00d000000000000000000000000000000000002"]));
        await Step(Op("request_review", new JsonObject { ["reviewer"] = "someone" }), _ => true);
        await Step(Op("convert_to_draft"), d => d.GetProperty("summary").GetProperty("is_draft").GetBoolean());
        await Step(Op("ready_for_review"), d => !d.GetProperty("summary").GetProperty("is_draft").GetBoolean());
        await Step(Op("close_pr"), d => d.GetProperty("summary").GetProperty("state").GetString() == "CLOSED");
        await Step(Op("reopen_pr"), d => d.GetProperty("summary").GetProperty("state").GetString() == "OPEN");
        if (other.Draft) await Step(Op("ready_for_review", target: (other.Repo, other.Number)), d => !d.GetProperty("summary").GetProperty("is_draft").GetBoolean(), (other.Repo, other.Number));
        await Step(Op("merge_pr", target: (other.Repo, other.Number)), d => d.GetProperty("summary").GetProperty("state").GetString() == "MERGED", (other.Repo, other.Number));

        // Completely: what the deliveries left is what a fresh full sync of the same GitHub gives, and no other PR moved.
        var after = await rig.DetailsAsync();
        var expected = await rig.FreshFullSyncAsync(ct);
        Assert.Equal(expected.Keys, after.Keys);
        foreach (var key2 in expected.Keys) Assert.Equal(expected[key2], after[key2]);
        Assert.Equal(2, before.Keys.Count(k => before[k] != after[k]));
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task DroppedDeliveries_AfterTheIncrementalSync_IdenticalToAFreshFullSync_AndARedeliveryActsOnce(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await WebhookRig.StartAsync(Data, dropRate: 0.3, backend, ct);
        await rig.SyncAsync();
        var prs = (await ServerHarness.ReadAsync(await rig.Client.GetAsync("/api/prs?page_size=100", ct))).GetProperty("items").EnumerateArray()
            .Select(p => (Repo: p.GetProperty("repository").GetString()!.Split('/')[1], Number: p.GetProperty("number").GetInt32())).ToList();
        for (var i = 0; i < 20; i++)
        {
            var (repo, number) = prs[i % prs.Count];
            await rig.MutateAsync(new JsonObject
            {
                ["op"] = i % 2 == 0 ? "add_comment" : "edit_pr", ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = repo, ["number"] = number,
                ["comment"] = new JsonObject { ["body"] = $"comment {i}" }, ["fields"] = new JsonObject { ["title"] = $"title {i}" },
            });
        }
        using var sim = new HttpClient { BaseAddress = rig.Simulator.BaseUrl };
        var sent = JsonNode.Parse(await sim.GetStringAsync("/_sim/webhooks/deliveries", ct))!.AsArray();
        var dropped = sent.Where(d => (bool)d!["dropped"]!).Select(d => (string)d!["id"]!).ToList();
        var delivered = sent.Where(d => !(bool)d!["dropped"]!).Select(d => (string)d!["id"]!).ToHashSet();
        Assert.InRange(dropped.Count, 1, sent.Count - 1);
        await WebhookRig.WaitForAsync(rig.DeliveriesAsync, d => d.EnumerateArray().Count(x => delivered.Contains(x.GetProperty("delivery_id").GetString()!)
            && x.GetProperty("status").GetString() is "done" or "ignored") == delivered.Count, "every delivery that was sent to end");

        // GitHub's Redeliver of a delivery Pulse has: answered as a replay, not stored or acted on again.
        var replayed = delivered.First();
        (await sim.PostAsync("/_sim/webhooks/redeliver", new StringContent($$"""{"id":"{{replayed}}"}"""), ct)).EnsureSuccessStatusCode();
        await WebhookRig.WaitForAsync(() => sim.GetStringAsync("/_sim/webhooks/deliveries", ct),
            t => JsonNode.Parse(t)!.AsArray().Any(d => (string)d!["id"]! == replayed && (int)d["attempts"]! == 2 && (int?)d["status"] == 200), "the redelivery's answer");
        Assert.Single((await rig.DeliveriesAsync()).EnumerateArray(), d => d.GetProperty("delivery_id").GetString() == replayed);

        // What the lost deliveries named reaches Pulse with the scheduled incremental run: the same as a fresh full sync.
        await rig.SyncAsync();
        Assert.Equal(await rig.FreshFullSyncAsync(ct), await rig.DetailsAsync());
    }

    private static JsonObject Comment(string body, JsonObject author) => new()
    {
        ["author"] = author.DeepClone(), ["body"] = body, ["path"] = "src/hook.go", ["line"] = 7, ["originalLine"] = 7, ["diffHunk"] = "@@ -7,3 +7,4 @@",
        ["replyTo"] = null, ["pullRequestReview"] = null, ["commit"] = null,
    };

    /// <summary>A commit as the simulator's add_commit and force_push take it.</summary>
    internal static JsonObject Commit(string oid) => new()
    {
        ["oid"] = oid, ["message"] = $"Rewritten {oid[..8]}", ["additions"] = 1, ["deletions"] = 0, ["changedFiles"] = 1,
        ["authoredDate"] = "2026-01-01T00:00:00Z", ["committedDate"] = "2026-01-01T00:00:00Z",
        ["author"] = new JsonObject { ["name"] = "Tester", ["email"] = "t@example.com", ["date"] = "2026-01-01T00:00:00Z" },
        ["committer"] = new JsonObject { ["name"] = "GitHub", ["email"] = "noreply@github.com", ["date"] = "2026-01-01T00:00:00Z" },
    };
}
