using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pulse.Server.Tests.Server.Api;

public sealed class JobsAndDataApiTests
{
    [Fact]
    public async Task RunNow_SyncsTheSimulator_ThenJobsSettingsResetAndDataEndpointsAnswer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        var (integrationId, jobId) = await server.AddIntegrationAsync(client);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/jobs/{jobId}/run-now", null, ct)).StatusCode);
        var again = await client.PostAsync($"/api/jobs/{jobId}/run-now", null, ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already running", await again.Content.ReadAsStringAsync(ct));
        var job = await server.WaitForOverallAsync(client, jobId, "FINISHED", "FAILED");
        Assert.Equal("FINISHED", job.GetProperty("status").GetProperty("overall").GetString());
        Assert.NotNull(job.GetProperty("last_sync_date").GetString());
        foreach (var step in job.GetProperty("status").GetProperty("steps").EnumerateObject())
            Assert.Equal("finished", step.Value.GetProperty("transform").GetString());

        var runs = await ServerHarness.ReadAsync(await client.GetAsync($"/api/jobs/{jobId}/runs", ct));
        Assert.Equal("succeeded", runs[0].GetProperty("status").GetString());

        var repos = await ServerHarness.ReadAsync(await client.GetAsync("/api/repositories", ct));
        Assert.True(repos.GetArrayLength() >= 1);
        var prs = await ServerHarness.ReadAsync(await client.GetAsync("/api/prs?page_size=5", ct));
        Assert.True(prs.GetProperty("total").GetInt64() > 5);
        Assert.Equal(5, prs.GetProperty("items").GetArrayLength());
        var open = await ServerHarness.ReadAsync(await client.GetAsync("/api/prs?state=open&page_size=100", ct));
        Assert.All(open.GetProperty("items").EnumerateArray(), p => Assert.Equal("OPEN", p.GetProperty("state").GetString()));
        var first = prs.GetProperty("items")[0];
        var repoName = first.GetProperty("repository").GetString()!;
        var byRepo = await ServerHarness.ReadAsync(await client.GetAsync($"/api/prs?repo={Uri.EscapeDataString(repoName)}&page_size=100", ct));
        Assert.All(byRepo.GetProperty("items").EnumerateArray(), p => Assert.Equal(repoName, p.GetProperty("repository").GetString()));
        var future = await ServerHarness.ReadAsync(await client.GetAsync("/api/prs?updated_since=2999-01-01", ct));
        Assert.Equal(0, future.GetProperty("total").GetInt64());
        if (first.GetProperty("author").GetString() is { } author)
        {
            var byAuthor = await ServerHarness.ReadAsync(await client.GetAsync($"/api/prs?author={Uri.EscapeDataString(author)}&page_size=100", ct));
            Assert.All(byAuthor.GetProperty("items").EnumerateArray(), p => Assert.Equal(author, p.GetProperty("author").GetString()));
        }
        var detail = await ServerHarness.ReadAsync(await client.GetAsync($"/api/prs/{first.GetProperty("id").GetInt64()}", ct));
        Assert.Equal(first.GetProperty("commit_count").GetInt64(), detail.GetProperty("commits").GetArrayLength());
        Assert.Equal(first.GetProperty("review_count").GetInt64(), detail.GetProperty("reviews").GetArrayLength());
        Assert.True(detail.TryGetProperty("threads", out _) && detail.TryGetProperty("comments", out _));
        foreach (var bad in new[] { "state=weird", "page=0", "page_size=101", "updated_since=yesterday" })
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/prs?{bad}", ct)).StatusCode);
        // Without embeddings search is keyword-only: the PR's own title finds it, linked to its PR; vector search is refused.
        var title = first.GetProperty("title").GetString()!;
        var hits = await ServerHarness.ReadAsync(await client.GetAsync($"/api/search?q={Uri.EscapeDataString(title)}&kind=pr&limit=100", ct));
        Assert.Contains(hits.EnumerateArray(), h => h.GetProperty("repository").GetString() == repoName
            && h.GetProperty("pull_request_number").GetInt64() == first.GetProperty("number").GetInt64()
            && h.GetProperty("pull_request_url").GetString()!.EndsWith($"/{repoName.Split('/')[^1]}/pull/{first.GetProperty("number").GetInt64()}", StringComparison.Ordinal));
        Assert.All(hits.EnumerateArray(), h => Assert.Equal("pr", h.GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/search?q=test&mode=vector", ct)).StatusCode);
        foreach (var bad in new[] { "q=", "q=x&kind=issue", "q=x&state=weird", "q=x&since=yesterday", "q=x&mode=fuzzy", "q=x&since=2025-02-01&until=2025-01-01" })
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/search?{bad}", ct)).StatusCode);

        // Settings: schedule at least 1 minute, retry below the schedule.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/jobs/{jobId}/settings", new { schedule_interval_minutes = 0 }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/jobs/{jobId}/settings", new { schedule_interval_minutes = 60, retry_interval_minutes = 60 }, ct)).StatusCode);
        var set = await ServerHarness.ReadAsync(await client.PostAsJsonAsync($"/api/jobs/{jobId}/settings", new { schedule_interval_minutes = 60, retry_interval_minutes = 5 }, ct));
        Assert.Equal(60, set.GetProperty("schedule_interval_minutes").GetInt32());
        Assert.True(set.GetProperty("next_run").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));

        // Inactive jobs and integrations are refused with a reason.
        await ServerHarness.ReadAsync(await client.PostAsJsonAsync($"/api/jobs/{jobId}/toggle-active", new { active = false }, ct));
        var inactive = await client.PostAsync($"/api/jobs/{jobId}/run-now", null, ct);
        Assert.Equal(HttpStatusCode.BadRequest, inactive.StatusCode);
        Assert.Contains("inactive", await inactive.Content.ReadAsStringAsync(ct));
        await ServerHarness.ReadAsync(await client.PostAsJsonAsync($"/api/jobs/{jobId}/toggle-active", new { active = true }, ct));
        await ServerHarness.ReadAsync(await client.PostAsJsonAsync($"/api/integrations/{integrationId}/toggle-active", new { active = false }, ct));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/jobs/{jobId}/run-now", null, ct)).StatusCode);

        var reset = await ServerHarness.ReadAsync(await client.PostAsync($"/api/jobs/{jobId}/reset", null, ct));
        Assert.Equal("READY", reset.GetProperty("status").GetProperty("overall").GetString());
        Assert.All(reset.GetProperty("status").GetProperty("steps").EnumerateObject(), s => Assert.Equal("idle", s.Value.GetProperty("extraction").GetString()));
    }

    [Fact]
    public async Task CrossTenant_EveryResourceOfAnotherTenant_Is404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, keyA) = await server.NewTenantAsync("tenant-a");
        var (_, keyB) = await server.NewTenantAsync("tenant-b");
        using var a = server.Client(keyA);
        using var b = server.Client(keyB);
        var (integrationB, jobB) = await server.AddIntegrationAsync(b);
        await ServerHarness.ReadAsync(await b.PostAsync($"/api/jobs/{jobB}/run-now", null, ct));
        await server.WaitForOverallAsync(b, jobB, "FINISHED", "FAILED");
        var prB = (await ServerHarness.ReadAsync(await b.GetAsync("/api/prs", ct))).GetProperty("items")[0].GetProperty("id").GetInt64();

        var attempts = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, $"/api/integrations/{integrationB}", null),
            (HttpMethod.Put, $"/api/integrations/{integrationB}", new { page_size = 10 }),
            (HttpMethod.Post, $"/api/integrations/{integrationB}/toggle-active", new { active = false }),
            (HttpMethod.Delete, $"/api/integrations/{integrationB}", null),
            (HttpMethod.Get, $"/api/jobs/{jobB}", null),
            (HttpMethod.Get, $"/api/jobs/{jobB}/runs", null),
            (HttpMethod.Post, $"/api/jobs/{jobB}/run-now", null),
            (HttpMethod.Post, $"/api/jobs/{jobB}/toggle-active", new { active = false }),
            (HttpMethod.Post, $"/api/jobs/{jobB}/settings", new { schedule_interval_minutes = 10, retry_interval_minutes = 5 }),
            (HttpMethod.Post, $"/api/jobs/{jobB}/reset", null),
            (HttpMethod.Get, $"/api/prs/{prB}", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await a.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
        }
        Assert.Equal("[]", await a.GetStringAsync("/api/integrations", ct));
        Assert.Equal("[]", await a.GetStringAsync("/api/jobs", ct));
        Assert.Equal("[]", await a.GetStringAsync("/api/repositories", ct));
        Assert.Equal(0, (await ServerHarness.ReadAsync(await a.GetAsync("/api/prs", ct))).GetProperty("total").GetInt64());
        // B's data is untouched by A's attempts.
        var stillB = await ServerHarness.ReadAsync(await b.GetAsync($"/api/integrations/{integrationB}", ct));
        Assert.True(stillB.GetProperty("active").GetBoolean());
        Assert.Equal(50, stillB.GetProperty("page_size").GetInt32());
    }
}
