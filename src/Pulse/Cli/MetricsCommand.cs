using System.CommandLine;
using System.Text.Json;
using Pulse.Core.Metrics;
using Pulse.Core.Storage;
using Pulse.Server.Api;

namespace Pulse.Cli;

/// <summary>
/// <c>pulse metrics prs|summary</c>: the PR flow metrics of a synced database, as the API gives them
/// (<c>/api/metrics/prs</c>, <c>/api/metrics/summary</c>), printed as a table, JSON or CSV.
/// </summary>
public static class MetricsCommand
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly string[] Formats = ["table", "json", "csv"];

    public static Command Create()
    {
        var command = new Command("metrics", "PR flow metrics: per PR, or summarised (draft-aware, bots left out).");
        command.Subcommands.Add(Verb("prs", "One row per PR: every metric (--format json: one JSON object per line)."));
        command.Subcommands.Add(Verb("summary", "p50/p75/p90 of each duration over merged PRs by week, repository or author, and the PRs waiting for review."));
        return command;
    }

    private static Command Verb(string name, string description)
    {
        var repo = new Option<string?>("--repo") { Description = "Only this repository (OWNER/NAME)" };
        var since = new Option<string?>("--since") { Description = "Only PRs merged on or after this date (ISO-8601)" };
        var by = new Option<string>("--by") { Description = "summary: week, repository or author", DefaultValueFactory = _ => "week" };
        var format = new Option<string>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => "table" };
        var database = new Option<string>("--database") { Description = "sqlite:PATH (default sqlite:pulse.db) or a postgres:// URL", DefaultValueFactory = _ => DatabaseOption.Default };
        var tenant = new Option<string>("--tenant") { Description = "Tenant name", DefaultValueFactory = _ => "default" };
        var command = new Command(name, description) { repo, since, format, database, tenant };
        if (name == "summary") command.Options.Add(by);
        command.SetAction(async (parse, ct) =>
        {
            var fail = (string reason) => { Console.Error.WriteLine($"pulse metrics {name}: {reason}"); return 2; };
            var output = parse.GetValue(format)!;
            if (!Formats.Contains(output)) return fail("--format must be table, json or csv.");
            var grouping = name == "summary" ? parse.GetValue(by)! : "week";
            if (!MetricsSummary.Groupings.Contains(grouping)) return fail("--by must be week, repository or author.");
            if (!PrMetricsApi.TryDate(parse.GetValue(since), out var from)) return fail("--since must be an ISO-8601 date, e.g. 2026-01-31.");
            try
            {
                var (storage, _) = await DatabaseOption.OpenAsync(parse.GetValue(database)!, ct);
                var t = await storage.Tenants.EnsureTenantAsync(parse.GetValue(tenant)!, ct);
                var repository = parse.GetValue(repo);
                if (name == "prs")
                {
                    var rows = (await storage.PrMetrics.ListAsync(new PrMetricsQuery(t.Id, repository, From: from), ct)).Select(PrMetricsView.Of).ToList();
                    MetricsOutput.Prs(rows, output, Console.Out);
                }
                else
                {
                    var merged = await storage.PrMetrics.ListAsync(new PrMetricsQuery(t.Id, repository, State: "MERGED", From: from), ct);
                    var waiting = await storage.PrMetrics.WaitingAsync(t.Id, repository, ct);
                    MetricsOutput.Summary(SummaryView.Of(MetricsSummary.Build(grouping, merged, waiting, TimeProvider.System.GetUtcNow())), output, Console.Out);
                }
                return 0;
            }
            catch (ArgumentException e)
            {
                return fail(e.Message);
            }
        });
        return command;
    }
}
