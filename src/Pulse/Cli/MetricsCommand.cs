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
        var database = new Option<string?>("--database") { Description = "sqlite:PATH (default sqlite:pulse.db, else the demo's sqlite:pulse-demo.db) or a postgres:// URL" };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant name (default: \"default\" if it exists, else the newest tenant, e.g. the last `pulse demo`'s)" };
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
                var (storage, _) = await DatabaseOption.OpenAsync(Database(parse.GetValue(database)), ct);
                var t = await TenantAsync(storage.Tenants, parse.GetValue(tenant), ct);
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

    /// <summary>The given database; unnamed, pulse.db when it exists, else the one <c>pulse demo</c> writes. A SQLite file must exist: reading metrics never creates one.</summary>
    private static string Database(string? given)
    {
        var value = given ?? (File.Exists("pulse.db") || !File.Exists("pulse-demo.db") ? DatabaseOption.Default : "sqlite:pulse-demo.db");
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && value.Length > 7 && !File.Exists(value[7..]))
            throw new ArgumentException($"no database at {value[7..]} (run `pulse sync` or `pulse demo` first, or give --database).");
        return value;
    }

    /// <summary>
    /// The named tenant; unnamed, "default" (what <c>pulse sync</c> writes) when it exists, else the newest (<c>pulse demo</c>
    /// makes a tenant per run), said on stderr so the table's source is never a guess.
    /// </summary>
    private static async Task<Core.Storage.Tenant> TenantAsync(Core.Storage.ITenantStore tenants, string? name, CancellationToken ct)
    {
        if (name is not null)
            return (await tenants.ListTenantsAsync(ct)).FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no tenant named '{name}' in this database.");
        var all = await tenants.ListTenantsAsync(ct);
        if (all.FirstOrDefault(t => t.Name == "default") is { } fallback) return fallback;
        if (all.Count == 0) throw new ArgumentException("this database holds no synced data yet (run `pulse sync` or `pulse demo` first).");
        Console.Error.WriteLine($"pulse metrics: tenant {all[^1].Name} (the newest; --tenant NAME for another)");
        return all[^1];
    }
}
