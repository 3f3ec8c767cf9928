using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Server.Tests.Server.Webhooks;

/// <summary>
/// A delivery's refresh brings the PR's lifecycle events and labels too (the inputs of its PR metrics, issue 13): after a
/// review request, a force push, a ready-for-review and a label, the PR's pr_metrics row is fresh without a sync.
/// </summary>
public sealed class WebhookTimelineTests
{
    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task TimelineAndLabelDeliveries_RefreshEventsLabelsAndPrMetrics_WithoutASync(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await WebhookRig.StartAsync("repos=2,prs=16,seed=5,big_body=false", dropRate: 0, backend, ct);
        await rig.SyncAsync();
        var open = (await ServerHarness.ReadAsync(await rig.Client.GetAsync("/api/prs?state=open&page_size=100", ct))).GetProperty("items").EnumerateArray()
            .Select(p => (Repo: p.GetProperty("repository").GetString()!, Number: p.GetProperty("number").GetInt32(), Draft: p.GetProperty("is_draft").GetBoolean()))
            .OrderByDescending(p => p.Draft).First();
        var key = $"{open.Repo}#{open.Number}";
        var before = await rig.DetailAsync(open.Repo, open.Number);
        var metricsBefore = await MetricsAsync(rig.Client, open.Repo, open.Number);
        var lastRunBefore = await LastRunAsync(rig);

        JsonObject Op(string op, JsonObject? extra = null)
        {
            var m = new JsonObject { ["op"] = op, ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = open.Repo.Split('/')[1], ["number"] = open.Number };
            foreach (var (k, v) in extra ?? []) m[k] = v?.DeepClone();
            return m;
        }
        await rig.ApplyAsync(Op("request_review", new JsonObject { ["reviewer"] = "webhook-reviewer" }));
        await rig.ApplyAsync(Op("force_push", new JsonObject { ["commits"] = new JsonArray(WebhookRefreshTests.Commit("beef000000000000000000000000000000000001")) }));
        if (!open.Draft) await rig.ApplyAsync(Op("convert_to_draft"));
        await rig.ApplyAsync(Op("ready_for_review"));
        await rig.ApplyAsync(Op("add_label", new JsonObject { ["label"] = new JsonObject { ["name"] = "via-webhook", ["color"] = "0e8a16" } }));

        // The events and the label the changes made are Pulse's rows now.
        var after = await rig.DetailAsync(open.Repo, open.Number);
        var known = before.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("node_id").GetString()).ToHashSet();
        var added = after.GetProperty("events").EnumerateArray().Where(e => !known.Contains(e.GetProperty("node_id").GetString())).ToList();
        // Changes within one second share a time stamp, so the order among them is not asserted.
        string[] expected = open.Draft ? ["HEAD_REF_FORCE_PUSHED_EVENT", "READY_FOR_REVIEW_EVENT", "REVIEW_REQUESTED_EVENT"]
            : ["CONVERT_TO_DRAFT_EVENT", "HEAD_REF_FORCE_PUSHED_EVENT", "READY_FOR_REVIEW_EVENT", "REVIEW_REQUESTED_EVENT"];
        Assert.Equal(expected, added.Select(e => e.GetProperty("event_type").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("webhook-reviewer", added.Single(e => e.GetProperty("event_type").GetString() == "REVIEW_REQUESTED_EVENT").GetProperty("requested_reviewer").GetString());
        var ready = added.Single(e => e.GetProperty("event_type").GetString() == "READY_FOR_REVIEW_EVENT");
        Assert.Contains("via-webhook", after.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("name").GetString()));

        // Its PR metrics were derived again from them, by the refreshes alone: the scheduled job did not run.
        var metrics = await MetricsAsync(rig.Client, open.Repo, open.Number);
        Assert.Equal(metricsBefore.GetProperty("review_requests").GetInt64() + 1, metrics.GetProperty("review_requests").GetInt64());
        Assert.Equal(metricsBefore.GetProperty("force_pushes").GetInt64() + 1, metrics.GetProperty("force_pushes").GetInt64());
        if (metricsBefore.GetProperty("opened_as_draft").GetBoolean() && metricsBefore.GetProperty("ready_at").ValueKind == JsonValueKind.Null)
            Assert.Equal(ready.GetProperty("created_at").GetDateTimeOffset(), metrics.GetProperty("ready_at").GetDateTimeOffset());
        Assert.Equal(lastRunBefore, await LastRunAsync(rig));

        // Fresh: the same PR, events, labels and metrics as a full sync of the same GitHub gives.
        var (freshDetail, freshMetrics) = await rig.FreshFullSyncAsync(async c =>
            ((await WebhookRig.DetailsAsync(c))[key], (await MetricsAsync(c, open.Repo, open.Number)).GetRawText()), ct);
        Assert.Equal(freshDetail, (await rig.DetailsAsync())[key]);
        Assert.Equal(freshMetrics, metrics.GetRawText());
    }

    private static async Task<JsonElement> MetricsAsync(HttpClient client, string repository, int number) =>
        (await ServerHarness.ReadAsync(await client.GetAsync("/api/metrics/prs"))).EnumerateArray()
            .Single(m => m.GetProperty("repository").GetString() == repository && m.GetProperty("number").GetInt32() == number);

    private static async Task<string> LastRunAsync(WebhookRig rig) =>
        (await ServerHarness.ReadAsync(await rig.Client.GetAsync($"/api/jobs/{rig.JobId}"))).GetProperty("job").GetProperty("last_run_started_at").GetRawText();
}
