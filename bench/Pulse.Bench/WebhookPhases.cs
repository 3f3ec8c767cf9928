using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;

namespace Pulse.Bench;

/// <summary>
/// Where a refresh run's time goes (issue 15): for every refresh run, when each stage of each step ended and when its GitHub
/// answers were stored, in ms from the run's start; the medians over the runs. With the simulator's own account of how long
/// GitHub worked on the refresh queries, it splits a run into GitHub's answer time and Pulse's own work.
/// </summary>
public static class WebhookPhases
{
    public static async Task<JsonObject> ReadAsync(DbConnection db, long githubProcessingMs, long queries)
    {
        var runs = (await db.QueryAsync<(long Id, object Started, object? Finished)>("""
            SELECT r.id, r.started_at, r.finished_at FROM etl_job_runs r JOIN etl_jobs j ON j.id = r.job_id
            WHERE j.job_name LIKE 'github_pr_refresh%' AND r.finished_at IS NOT NULL
            """)).ToDictionary(r => r.Id, r => Time(r.Started));
        var ends = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string what, long run, object? at)
        {
            if (at is null || !runs.TryGetValue(run, out var start)) return;
            (ends.TryGetValue(what, out var list) ? list : ends[what] = []).Add((Time(at) - start).TotalMilliseconds);
        }
        foreach (var s in await db.QueryAsync<(long Run, string Step, string Stage, object? Finished)>(
                     "SELECT run_id, step, stage, finished_at FROM run_stages WHERE stage <> 'embedding'"))
            Add($"{s.Step}.{s.Stage}.end", s.Run, s.Finished);
        foreach (var p in await db.QueryAsync<(long Run, object First, object Last, long Pages)>(
                     "SELECT run_id, min(created_at), max(created_at), count(*) FROM raw_extraction_data GROUP BY run_id"))
        {
            Add("first_answer_stored", p.Run, p.First);
            Add("last_answer_stored", p.Run, p.Last);
        }
        foreach (var r in await db.QueryAsync<(long Id, object Finished)>("SELECT id, finished_at FROM etl_job_runs WHERE finished_at IS NOT NULL"))
            Add("run.end", r.Id, r.Finished);
        var medians = new JsonObject();
        foreach (var (what, values) in ends.OrderBy(e => e.Value.Order().ElementAt(e.Value.Count / 2)))
            medians[what] = Math.Round(values.Order().ElementAt(values.Count / 2), 0);
        return new JsonObject
        {
            ["median_ms_from_run_start"] = medians,
            ["github_answer_ms_total"] = githubProcessingMs,
            ["github_answer_ms_per_query"] = queries == 0 ? 0 : Math.Round((double)githubProcessingMs / queries, 1),
            ["queries_per_run"] = runs.Count == 0 ? 0 : Math.Round((double)queries / runs.Count, 2),
        };
    }

    /// <summary>A stored time: text on SQLite, a UTC timestamp on PostgreSQL.</summary>
    public static DateTimeOffset Time(object value) => value switch
    {
        DateTimeOffset t => t,
        DateTime t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        _ => DateTimeOffset.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
    };
}
