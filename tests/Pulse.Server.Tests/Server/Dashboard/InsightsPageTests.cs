using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Pulse.Server.Tests.Server.Dashboard;

/// <summary>The Insights page in the system Chromium over a real sync of the simulator: it shows the metrics API's answers, filtered.</summary>
public sealed class InsightsPageTests
{
    [Fact]
    public async Task InsightsPage_AfterASync_ShowsTheMetricsApisAnswersAndItsFiltersNarrowThem()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(File.Exists("/usr/bin/chromium"), "needs the system Chromium (apt-get install -y chromium)");
        await using var server = await ServerHarness.StartAsync("repos=3,prs=60,seed=4,big_body=false,commits_max=30", ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        var (_, jobId) = await server.AddIntegrationAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/jobs/{jobId}/run-now", null, ct)).StatusCode);
        var job = await server.WaitForOverallAsync(client, jobId, "FINISHED", "FAILED");
        Assert.Equal("FINISHED", job.GetProperty("status").GetProperty("overall").GetString());

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.SignInAsync(server.BaseAddress, key);

        var asked = Stopwatch.StartNew();
        await page.ClickAsync("nav a[data-page=insights]");
        var (all, allMerged) = await ShowsTheApisAnswersAsync(page, client, new(), asked, ct);
        Assert.True(all.Breakdown.Length >= 2, "the data set gives at least two weeks of merged PRs to chart");
        // Seed 4's data set has PRs waiting for a first review, one of them with a requested reviewer.
        Assert.Contains(all.WaitingList, w => w.Reviewers != "—");
        Assert.Equal(VendoredChartVersion(), all.ChartVersion);
        await browser.ScreenshotAsync("insights-1-all.png");

        // The repository with the most merged PRs, as long as another one has some too: the filter must leave some out.
        var byRepository = allMerged.EnumerateArray().GroupBy(p => p.GetProperty("repository").GetString()!).OrderByDescending(g => g.Count()).ToArray();
        Assert.True(byRepository.Length >= 2, "merged PRs in at least two repositories");
        var repository = byRepository[0].Key;
        asked.Restart();
        await page.SelectOptionAsync("#insights-filters select[name=repository]", repository);
        var (oneRepository, repositoryMerged) = await ShowsTheApisAnswersAsync(page, client, new() { ["repository"] = repository }, asked, ct);
        AssertNarrowed(all, oneRepository);
        Assert.Equal(byRepository[0].Count(), repositoryMerged.GetArrayLength());
        Assert.All(oneRepository.WaitingList, w => Assert.Equal(repository, w.Repository));
        await browser.ScreenshotAsync("insights-2-repository.png");

        // The middle half of the merge dates, every repository; the page asks up to the start of the day after the last.
        var merged = allMerged.EnumerateArray().Select(p => p.GetProperty("merged_at").GetDateTimeOffset()).Order().ToArray();
        var (first, last) = (merged[merged.Length / 4].UtcDateTime.Date, merged[merged.Length * 3 / 4].UtcDateTime.Date);
        asked.Restart();
        await page.SelectOptionAsync("#insights-filters select[name=repository]", "");
        await page.FillAsync("#insights-filters input[name=from]", Day(first));
        await page.FillAsync("#insights-filters input[name=to]", Day(last));
        await page.ClickAsync("#insights-filters button[type=submit]");
        var (period, periodMerged) = await ShowsTheApisAnswersAsync(page, client, new() { ["from"] = Day(first), ["to"] = Day(last.AddDays(1)) }, asked, ct);
        AssertNarrowed(all, period);
        Assert.True(period.Breakdown.Length < all.Breakdown.Length);
        // Both days picked are in the period, whole: the unfiltered answer's merges in those days are exactly the filtered answer.
        Assert.Equal(merged.Count(m => m.UtcDateTime >= first && m.UtcDateTime < last.AddDays(1)), periodMerged.GetArrayLength());
        await browser.ScreenshotAsync("insights-3-period.png");

        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    /// <summary>Waits for the page to draw this filter, asks the API the same, and compares; returns the page and the API's merged PRs.</summary>
    private static async Task<(InsightsPageView Shown, JsonElement MergedPrs)> ShowsTheApisAnswersAsync(
        IPage page, HttpClient client, Dictionary<string, string> filter, Stopwatch asked, CancellationToken ct)
    {
        await InsightsPageView.WaitForFilterAsync(page, filter);
        var shown = await InsightsPageView.ReadAsync(page);
        var query = string.Concat(filter.Select(f => $"&{f.Key}={Uri.EscapeDataString(f.Value)}"));
        var summary = await ServerHarness.ReadAsync(await client.GetAsync($"/api/metrics/summary?by=week{query}", ct));
        var mergedPrs = await ServerHarness.ReadAsync(await client.GetAsync($"/api/metrics/prs?state=MERGED&on=merged{query}", ct));
        InsightsPageAssert.ShowsTheApisAnswers(shown, summary, mergedPrs, asked.Elapsed);
        return (shown, mergedPrs);
    }

    private static void AssertNarrowed(InsightsPageView all, InsightsPageView filtered)
    {
        var (before, after) = (all.Histogram.Sum(b => b.Count), filtered.Histogram.Sum(b => b.Count));
        Assert.InRange(after, 1, before - 1);
        Assert.True(filtered.WaitingList.Length <= all.WaitingList.Length);
    }

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string VendoredChartVersion()
    {
        var table = File.ReadAllText(Path.Combine(DashboardBrowser.Root, "src", "Pulse", "wwwroot", "lib", "VENDORED.md"));
        return Regex.Match(table, @"^\| Chart\.js \| ([0-9.]+) \|", RegexOptions.Multiline).Groups[1].Value;
    }
}
