using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Bench;

/// <summary>
/// Issue 15: `pulse serve` (a child process, SQLite, embeddings off) fed by the simulator's webhooks. After a full sync,
/// <c>mutations</c> changes (title edits and new comments, alternately, round robin over the PRs, one every
/// <c>interval</c>) each carry a unique marker; a poller reads Pulse's tables every 20 ms and records when each marker's row
/// appears. Latency = that moment minus the moment just before the mutation was sent. Points per refreshed PR = the refresh
/// runs' GitHub points over the PRs they refreshed (checkpoints of kind pull_request). The refresh runs of every slot job
/// (github_pr_refresh, github_pr_refresh_2, ...) count; how many ran at once is read from their start and end times.
/// </summary>
public sealed class WebhookBench(string output, int mutations, TimeSpan interval, int coalesceMs, int coalesceIdleMs, int coalesceDeliveries, int concurrentRefreshes, bool postgres)
{
    private const string Secret = "bench-hook-secret";
    private const string AdminKey = "bench-admin";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("pulse-webhook-bench-").FullName;
        // SQLite in the bench's directory, or a PostgreSQL database of its own (dropped at the end).
        var pgName = $"pulse_webhook_bench_{Guid.NewGuid():N}";
        var pg = new NpgsqlConnectionStringBuilder(DistributedRun.Postgres) { Database = pgName }.ConnectionString;
        if (postgres)
        {
            await using var admin = new NpgsqlConnection(DistributedRun.Postgres);
            await admin.ExecuteAsync($"CREATE DATABASE \"{pgName}\"");
        }
        var database = postgres ? pg : "sqlite:" + Path.Combine(directory, "pulse.db");
        var (servePort, simPort) = (FreePort(), FreePort());
        var serveUrl = new Uri($"http://127.0.0.1:{servePort}/");
        var loadBefore = Bench.LoadAverage();
        // The first integration of a new database is number 1: the simulator's hook is set before the integration exists.
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Port = simPort, Synthetic = SyntheticSpec.Parse("repos=4,prs=60,seed=11,big_body=false"), ProcessingTimeScale = 1,
            WebhookUrl = new Uri(serveUrl, "/api/webhooks/github/1"), WebhookSecret = Secret,
        }, ct);
        using var serve = StartServe(servePort, database);
        using var http = new HttpClient { BaseAddress = serveUrl, Timeout = TimeSpan.FromSeconds(60) };
        await WaitAsync(async () => { try { return (await http.GetAsync("/healthz", ct)).IsSuccessStatusCode; } catch (HttpRequestException) { return false; } }, "serve to answer");

        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var tenant = await ReadAsync(await http.PostAsJsonAsync("/api/admin/tenants", new { name = "bench" }, ct));
        var key = await ReadAsync(await http.PostAsJsonAsync($"/api/admin/tenants/{tenant.GetProperty("id").GetInt64()}/keys", new { name = "bench" }, ct));
        http.DefaultRequestHeaders.Authorization = new("Bearer", key.GetProperty("key").GetString());
        var integration = await ReadAsync(await http.PostAsJsonAsync("/api/integrations", new
        {
            github_url = sim.GraphQLUrl.ToString(), owner = SyntheticDataset.OrganizationLogin, token = "sim-token", webhook_secret = Secret,
        }, ct));
        if (integration.GetProperty("id").GetInt64() != 1) throw new InvalidOperationException("The bench's integration is not number 1.");
        var jobId = (await ReadAsync(await http.GetAsync("/api/jobs", ct)))[0].GetProperty("id").GetInt64();
        (await http.PostAsync($"/api/jobs/{jobId}/run-now", null, ct)).EnsureSuccessStatusCode();
        await WaitAsync(async () => (await ReadAsync(await http.GetAsync($"/api/jobs/{jobId}", ct))).GetProperty("job").GetProperty("status").GetProperty("overall").GetString() == "FINISHED",
            "the first full sync");

        await using DbConnection db = postgres ? new NpgsqlConnection(pg) : new SqliteConnection($"Data Source={database["sqlite:".Length..]};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync(ct);
        var prs = (await db.QueryAsync<(string Repo, int Number)>("SELECT r.name, p.number FROM prs p JOIN repositories r ON r.id = p.repository_id ORDER BY p.id")).ToList();
        var sent = new Dictionary<string, long>();
        var seen = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();
        using var stopPolling = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            while (!stopPolling.IsCancellationRequested)
            {
                var found = await db.QueryAsync<string>("SELECT title FROM prs WHERE title LIKE 'bench-%' UNION ALL SELECT body FROM prs_comments WHERE body LIKE 'bench-%'");
                var now = clock.ElapsedTicks;
                lock (seen) foreach (var marker in found) seen.TryAdd(marker, now);
                await Task.Delay(20);
            }
        });
        using var control = new HttpClient { BaseAddress = sim.BaseUrl };
        var processingBefore = sim.Stats.For("sim-token").ProcessingMs;
        for (var i = 0; i < mutations; i++)
        {
            var (repo, number) = prs[i % prs.Count];
            var marker = $"bench-{i:D4}";
            var mutation = new JsonObject { ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = repo, ["number"] = number };
            if (i % 2 == 0) { mutation["op"] = "edit_pr"; mutation["fields"] = new JsonObject { ["title"] = marker }; }
            else { mutation["op"] = "add_comment"; mutation["comment"] = new JsonObject { ["body"] = marker }; }
            lock (seen) sent[marker] = clock.ElapsedTicks;
            (await control.PostAsJsonAsync("/_sim/mutate", mutation, ct)).EnsureSuccessStatusCode();
            await Task.Delay(interval, ct);
        }
        // A later title edit of the same PR replaces an earlier marker before it is read: only markers still in GitHub's data count.
        await WaitAsync(() => Task.FromResult(Pending(sent, seen, prs.Count) == 0), "every surviving marker to reach Pulse's tables", TimeSpan.FromMinutes(5));
        await stopPolling.CancelAsync();
        await poller;

        List<double> latencies;
        lock (seen) latencies = sent.Where(s => seen.ContainsKey(s.Key)).Select(s => (seen[s.Key] - s.Value) * 1000.0 / Stopwatch.Frequency).Order().ToList();
        var refresh = await db.QuerySingleAsync<(long Runs, long Points, long Requests)>("""
            SELECT count(*), COALESCE(sum(r.points), 0), COALESCE(sum(r.requests), 0) FROM etl_job_runs r JOIN etl_jobs j ON j.id = r.job_id WHERE j.job_name LIKE 'github_pr_refresh%'
            """);
        var spans = (await db.QueryAsync<(object Started, object Finished)>("""
            SELECT r.started_at, r.finished_at FROM etl_job_runs r JOIN etl_jobs j ON j.id = r.job_id WHERE j.job_name LIKE 'github_pr_refresh%' AND r.finished_at IS NOT NULL
            """)).Select(r => (Start: WebhookPhases.Time(r.Started), End: WebhookPhases.Time(r.Finished))).ToList();
        var mostAtOnce = spans.Count == 0 ? 0 : spans.Max(a => spans.Count(b => b.Start <= a.Start && b.End > a.Start));
        var runSeconds = spans.Select(r => (r.End - r.Start).TotalMilliseconds).Order().ToList();
        var refreshed = await db.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM checkpoints c JOIN etl_job_runs r ON r.id = c.run_id JOIN etl_jobs j ON j.id = r.job_id
            WHERE j.job_name LIKE 'github_pr_refresh%' AND c.kind = 'pull_request'
            """);
        // What the refresh runs asked GitHub, by the kinds a query packed: where the points went.
        var queries = await db.QueryAsync<(string Kinds, long Queries, long Points, long Requests)>("""
            SELECT x.entity_type, count(*), sum(x.points), sum(x.requests) FROM raw_extraction_data x JOIN etl_job_runs r ON r.id = x.run_id
            JOIN etl_jobs j ON j.id = r.job_id WHERE j.job_name LIKE 'github_pr_refresh%' GROUP BY x.entity_type ORDER BY x.entity_type
            """);
        var phases = await WebhookPhases.ReadAsync(db, sim.Stats.For("sim-token").ProcessingMs - processingBefore, queries.Sum(q => q.Queries));
        var statuses = await db.QueryAsync<(string Status, long Count)>("SELECT status, count(*) FROM webhook_deliveries GROUP BY status ORDER BY status");
        serve.Kill(entireProcessTree: true);
        var result = new JsonObject
        {
            ["bench"] = "webhooks", ["mutations"] = mutations, ["interval_ms"] = interval.TotalMilliseconds, ["coalesce_ms"] = coalesceMs,
            ["coalesce_idle_ms"] = coalesceIdleMs, ["coalesce_deliveries"] = coalesceDeliveries, ["concurrent_refreshes"] = concurrentRefreshes,
            ["data"] = "repos=4,prs=60,seed=11 (simulator sleep scale 1: calibrated answer times)", ["backend"] = $"{(postgres ? "postgresql" : "sqlite")}, inproc queue, embeddings off",
            ["markers_measured"] = latencies.Count,
            ["latency_ms"] = new JsonObject { ["p50"] = Percentile(latencies, 0.5), ["p95"] = Percentile(latencies, 0.95), ["max"] = latencies.Count > 0 ? latencies[^1] : 0 },
            ["refresh_run_ms"] = new JsonObject { ["p50"] = Percentile(runSeconds, 0.5), ["p95"] = Percentile(runSeconds, 0.95) },
            ["refresh_runs_most_at_once"] = mostAtOnce,
            ["refresh_runs"] = refresh.Runs, ["refresh_points"] = refresh.Points, ["refresh_requests"] = refresh.Requests, ["refreshed_prs"] = refreshed,
            ["points_per_refreshed_pr"] = refreshed == 0 ? 0 : Math.Round((double)refresh.Points / refreshed, 4),
            ["refresh_queries"] = new JsonObject(queries.Select(q => KeyValuePair.Create(q.Kinds,
                (JsonNode?)new JsonObject { ["queries"] = q.Queries, ["points"] = q.Points, ["requests"] = q.Requests }))),
            ["refresh_phases"] = phases,
            ["deliveries"] = new JsonObject(statuses.Select(s => KeyValuePair.Create(s.Status, (JsonNode?)s.Count))),
            ["load_average_before"] = loadBefore, ["load_average_after"] = Bench.LoadAverage(), ["cores"] = Environment.ProcessorCount,
        };
        Directory.CreateDirectory(output);
        var name = $"webhooks-{(postgres ? "postgres-" : "")}{mutations}x{interval.TotalMilliseconds:F0}ms-coalesce{coalesceMs}-idle{coalesceIdleMs}-deliveries{coalesceDeliveries}-concurrent{concurrentRefreshes}";
        await File.WriteAllTextAsync(Path.Combine(output, name + ".json"), result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
        Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        if (postgres)
        {
            await db.CloseAsync();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(DistributedRun.Postgres);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{pgName}\" WITH (FORCE)");
        }
        return 0;
    }

    /// <summary>Markers sent but not seen that can still appear: the last title marker of each PR and every comment marker.</summary>
    private static int Pending(Dictionary<string, long> sent, Dictionary<string, long> seen, int prs)
    {
        lock (seen)
            return sent.Keys.Count(m => !seen.ContainsKey(m) && Survives(int.Parse(m[6..], CultureInfo.InvariantCulture), sent.Count, prs));
    }

    private static bool Survives(int i, int count, int prs) => i % 2 == 1 || !Enumerable.Range(i + 1, Math.Max(0, count - i - 1)).Any(j => j % 2 == 0 && j % prs == i % prs);

    private Process StartServe(int port, string database)
    {
        var root = Bench.RepositoryRoot();
        using (var build = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(root, "pulse"), "--help" }, RedirectStandardOutput = true })!)
            build.WaitForExit();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(root, ".build", "pulse", "pulse.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--database", database,
                     "--admin-key", AdminKey, "--no-embeddings", "--webhook-coalesce-ms", coalesceMs.ToString(CultureInfo.InvariantCulture),
                     "--webhook-coalesce-idle-ms", coalesceIdleMs.ToString(CultureInfo.InvariantCulture),
                     "--webhook-coalesce-deliveries", coalesceDeliveries.ToString(CultureInfo.InvariantCulture),
                     "--webhook-concurrent-refreshes", concurrentRefreshes.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        // A PostgreSQL database may be shared by several processes: serve refuses to start without the key they share.
        start.Environment["PULSE_SECRET_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("serve: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 1);

    private static async Task WaitAsync(Func<Task<bool>> done, string what, TimeSpan? limit = null)
    {
        var deadline = DateTimeOffset.UtcNow + (limit ?? TimeSpan.FromMinutes(5));
        while (!await done())
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"Waited too long for {what}.");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
