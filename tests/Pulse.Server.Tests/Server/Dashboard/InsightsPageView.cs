using System.Text.Json;
using Microsoft.Playwright;

namespace Pulse.Server.Tests.Server.Dashboard;

/// <summary>What the Insights page shows: its number tables (texts and exact data attributes) and the data its charts draw.</summary>
public sealed record InsightsPageView(
    string ChartVersion,
    InsightsPageView.Week[] Breakdown, InsightsPageView.Chart BreakdownChart,
    InsightsPageView.Bin[] Histogram, InsightsPageView.Chart HistogramChart, string HistogramNote,
    InsightsPageView.Waiting[] WaitingList)
{
    /// <summary>One week's row: its key, PR count and the p50 cells (coding, pickup, review, cycle) as seconds ("" for none) and shown text.</summary>
    public sealed record Week(string Key, long Count, Cell[] Cells);
    public sealed record Cell(string Seconds, string Text);
    /// <summary>The Chart.js instance's own data: what is drawn, not what the table says.</summary>
    public sealed record Chart(string[] Labels, double?[][] Data);
    public sealed record Bin(long Lower, long? Upper, long Count, string Text);
    public sealed record Waiting(string Repository, long Number, string Href, string Title, string ReadyAt, long AgeSeconds, string AgeText, string Reviewers);

    private const string Script = """
        () => {
          const rows = (sel) => [...document.querySelectorAll(sel)];
          const chart = (id) => { const c = Chart.getChart(document.getElementById(id)); return { labels: c.data.labels, data: c.data.datasets.map((d) => d.data) }; };
          return {
            chartVersion: Chart.version,
            breakdown: rows("#breakdown-data tr").map((tr) => ({ key: tr.dataset.key, count: Number(tr.dataset.count),
              cells: [...tr.querySelectorAll("td[data-seconds]")].map((td) => ({ seconds: td.dataset.seconds, text: td.textContent })) })),
            breakdownChart: chart("breakdown-chart"),
            histogram: rows("#histogram-data tr").map((tr) => ({ lower: Number(tr.dataset.lowerSeconds),
              upper: tr.dataset.upperSeconds === "" ? null : Number(tr.dataset.upperSeconds), count: Number(tr.dataset.count), text: tr.cells[1].textContent })),
            histogramChart: chart("histogram-chart"),
            histogramNote: document.getElementById("histogram-note").textContent,
            waitingList: rows("#waiting tr").map((tr) => ({ repository: tr.dataset.repository, number: Number(tr.dataset.number),
              href: tr.querySelector("a").getAttribute("href"), title: tr.cells[1].textContent, readyAt: tr.cells[2].dataset.readyAt,
              ageSeconds: Number(tr.dataset.ageSeconds), ageText: tr.cells[3].textContent, reviewers: tr.cells[4].textContent })),
          };
        }
        """;

    public static async Task<InsightsPageView> ReadAsync(IPage page) =>
        (await page.EvaluateAsync<JsonElement>(Script)).Deserialize<InsightsPageView>(JsonSerializerOptions.Web)!;

    /// <summary>Waits until the page has drawn the answers to exactly this filter (the page marks the filter it last drew).</summary>
    public static Task WaitForFilterAsync(IPage page, IReadOnlyDictionary<string, string> filter) =>
        page.WaitForFunctionAsync("f => document.querySelector('#page-insights').dataset.query === new URLSearchParams(f).toString()",
            filter, new PageWaitForFunctionOptions { Timeout = 60_000 });
}
