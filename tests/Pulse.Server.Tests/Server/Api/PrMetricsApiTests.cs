using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pulse.Server.Tests.Server.Api;

public sealed class PrMetricsApiTests
{
    private static readonly string[] Fields =
    [
        "repository", "number", "title", "url", "author", "state", "created_at", "merged_at", "opened_as_draft", "ready_at", "draft_seconds",
        "first_commit_at", "first_review_at", "coding_seconds", "pickup_seconds", "review_seconds", "cycle_seconds", "time_to_merge_seconds",
        "review_requests", "reviewers", "approvals", "changes_requested", "rework_commits", "force_pushes", "size", "changed_files", "author_is_bot",
    ];

    [Fact]
    public async Task Metrics_AfterASync_PrsFilterSummaryGroupsBotListAndTenantIsolation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync("repos=2,prs=40,seed=5", ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        var (_, otherKey) = await server.NewTenantAsync("other");
        using var client = server.Client(key);
        using var other = server.Client(otherKey);
        var (integrationId, jobId) = await server.AddIntegrationAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/jobs/{jobId}/run-now", null, ct)).StatusCode);
        Assert.Equal("FINISHED", (await server.WaitForOverallAsync(client, jobId, "FINISHED", "FAILED")).GetProperty("status").GetProperty("overall").GetString());

        var all = await ServerHarness.ReadAsync(await client.GetAsync("/api/metrics/prs", ct));
        Assert.Equal((await ServerHarness.ReadAsync(await client.GetAsync("/api/prs?page_size=100", ct))).GetProperty("total").GetInt64(), all.GetArrayLength());
        Assert.All(all.EnumerateArray(), pr => Assert.Equal(Fields, pr.EnumerateObject().Select(p => p.Name)));
        var merged = all.EnumerateArray().Where(p => p.GetProperty("state").GetString() == "MERGED").ToList();
        Assert.NotEmpty(merged);
        Assert.EndsWith("Z", merged[0].GetProperty("merged_at").GetString());
        Assert.Equal(JsonValueKind.Number, merged[0].GetProperty("cycle_seconds").ValueKind);
        var repository = merged[0].GetProperty("repository").GetString()!;
        Assert.Contains('/', repository);

        var mergedOnly = await ServerHarness.ReadAsync(await client.GetAsync($"/api/metrics/prs?state=MERGED&repository={Uri.EscapeDataString(repository)}", ct));
        Assert.All(mergedOnly.EnumerateArray(), p => Assert.Equal((repository, "MERGED"), (p.GetProperty("repository").GetString(), p.GetProperty("state").GetString())));
        var mergedAt = DateTimeOffset.Parse(merged[0].GetProperty("merged_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var window = await ServerHarness.ReadAsync(await client.GetAsync(
            $"/api/metrics/prs?from={Uri.EscapeDataString(mergedAt.ToString("O"))}&to={Uri.EscapeDataString(mergedAt.AddSeconds(1).ToString("O"))}", ct));
        Assert.Contains(window.EnumerateArray(), p => p.GetProperty("number").GetInt32() == merged[0].GetProperty("number").GetInt32());
        Assert.All(window.EnumerateArray(), p => Assert.Equal(merged[0].GetProperty("merged_at").GetString(), p.GetProperty("merged_at").GetString()));
        var ready = await ServerHarness.ReadAsync(await client.GetAsync("/api/metrics/prs?on=ready&from=2999-01-01", ct));
        Assert.Equal(0, ready.GetArrayLength());

        foreach (var by in new[] { "week", "repository", "author" })
        {
            var summary = await ServerHarness.ReadAsync(await client.GetAsync($"/api/metrics/summary?by={by}", ct));
            Assert.Equal(by, summary.GetProperty("by").GetString());
            var groups = summary.GetProperty("groups").EnumerateArray().ToList();
            Assert.Equal(merged.Count(p => !p.GetProperty("author_is_bot").GetBoolean()), groups.Sum(g => g.GetProperty("count").GetInt32()));
            Assert.All(groups, g => Assert.Equal(["coding_seconds", "pickup_seconds", "review_seconds", "cycle_seconds", "time_to_merge_seconds", "draft_seconds"],
                g.GetProperty("durations").EnumerateObject().Select(d => d.Name)));
            if (by == "week") Assert.All(groups, g => Assert.Matches(@"^\d{4}-W\d{2}$", g.GetProperty("key").GetString()));
            var waiting = summary.GetProperty("waiting").EnumerateArray().Select(w => w.GetProperty("ready_at").GetString()!).ToList();
            Assert.Equal(waiting.Order(StringComparer.Ordinal), waiting);
        }
        foreach (var bad in new[] { "prs?state=weird", "prs?on=closed", "prs?from=yesterday", "prs?from=2026-02-01&to=2026-01-01", "summary?by=month" })
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/metrics/{bad}", ct)).StatusCode);

        // Another tenant sees none of it.
        Assert.Equal("[]", await other.GetStringAsync("/api/metrics/prs", ct));
        Assert.Equal(0, (await ServerHarness.ReadAsync(await other.GetAsync("/api/metrics/summary", ct))).GetProperty("groups").GetArrayLength());

        // Listing a human author as a bot takes their merged PRs out of the summary at once.
        var human = merged.First(p => !p.GetProperty("author_is_bot").GetBoolean() && p.GetProperty("author").ValueKind == JsonValueKind.String).GetProperty("author").GetString()!;
        var edited = await ServerHarness.ReadAsync(await client.PutAsJsonAsync($"/api/integrations/{integrationId}", new { bot_logins = new[] { human.ToUpperInvariant() } }, ct));
        Assert.Equal([human.ToUpperInvariant()], edited.GetProperty("bot_logins").EnumerateArray().Select(b => b.GetString()));
        var byAuthor = await ServerHarness.ReadAsync(await client.GetAsync($"/api/metrics/prs?author={Uri.EscapeDataString(human)}", ct));
        Assert.All(byAuthor.EnumerateArray(), p => Assert.True(p.GetProperty("author_is_bot").GetBoolean()));
        var authors = await ServerHarness.ReadAsync(await client.GetAsync("/api/metrics/summary?by=author", ct));
        Assert.DoesNotContain(authors.GetProperty("groups").EnumerateArray(), g => g.GetProperty("key").GetString() == human);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/integrations/{integrationId}", new { bot_logins = new[] { "not a login" } }, ct)).StatusCode);
    }
}
