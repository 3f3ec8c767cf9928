using System.Text.Json;
using System.Text.RegularExpressions;
using Pulse.EndToEnd.Tests.BadInput;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Cli;

/// <summary><c>pulse metrics</c> on a synced database: the summary table by week, and one JSON object per PR.</summary>
public sealed class MetricsCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_SummaryByWeekAndPrsAsJson_PrintTheSyncedMetrics()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = SyntheticSpec.Parse("repos=3,prs=50,seed=1"), ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness();
        Assert.True((await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);
        var database = $"sqlite:{harness.DatabasePath}";

        var (code, output) = await CliBadInputTests.RunAsync(["metrics", "summary", "--by", "week", "--database", database]);

        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.StartsWith("week", lines[0]);
        Assert.Contains("cycle p50/p75/p90", lines[0]);
        var weeks = lines.Where(l => Regex.IsMatch(l, @"^\d{4}-W\d{2}\s+\d+\s")).ToList();
        Assert.NotEmpty(weeks);
        Assert.Contains(lines, l => l.StartsWith("Waiting for a first review: ", StringComparison.Ordinal));

        var (prsCode, json) = await CliBadInputTests.RunAsync(["metrics", "prs", "--format", "json", "--database", database]);
        Assert.Equal(0, prsCode);
        var objects = json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal((await harness.RowsAsync("SELECT id FROM prs")).Count, objects.Count);
        Assert.All(objects, o =>
        {
            Assert.Contains("/", o.GetProperty("repository").GetString());
            Assert.True(o.GetProperty("number").GetInt32() > 0);
            foreach (var field in new[] { "opened_as_draft", "ready_at", "draft_seconds", "first_commit_at", "first_review_at", "coding_seconds", "pickup_seconds",
                         "review_seconds", "cycle_seconds", "time_to_merge_seconds", "review_requests", "reviewers", "approvals", "changes_requested",
                         "rework_commits", "force_pushes", "size", "changed_files", "author_is_bot" })
                Assert.True(o.TryGetProperty(field, out _), field);
        });
        var merged = objects.Count(o => o.GetProperty("state").GetString() == "MERGED" && !o.GetProperty("author_is_bot").GetBoolean());
        Assert.Equal(merged, weeks.Sum(w => int.Parse(Regex.Split(w, @"\s+")[1], System.Globalization.CultureInfo.InvariantCulture)));

        var (badCode, bad) = await CliBadInputTests.RunAsync(["metrics", "summary", "--by", "month", "--database", database]);
        Assert.Equal(2, badCode);
        Assert.Contains("--by must be week, repository or author.", bad);
        var (missingCode, missing) = await CliBadInputTests.RunAsync(["metrics", "prs", "--database", $"sqlite:{harness.DatabasePath}.nope"]);
        Assert.Equal(2, missingCode);
        Assert.Contains("no database at", missing);
    }
}
