using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Npgsql;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>
/// <c>pulse serve</c> on PostgreSQL + RabbitMQ with <c>pulse worker</c> processes, all real child
/// processes: Run Now through the API, progress on the WebSocket feed, workers and serve SIGKILLed mid-run.
/// </summary>
public sealed class ServeDistributedTests
{
    // Every answer takes 1 s, so a run lasts long enough to kill processes in its middle.
    private static readonly SimulatorOptions Slow = new()
    {
        Synthetic = SyntheticSpec.Parse("repos=6,prs=150,seed=23,commits_max=400,big_body=false"),
        ProcessingTimeScale = 0,
        Latency = TimeSpan.FromMilliseconds(1000),
    };

    private static readonly string[] WorkerStages = ["extraction", "transform"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunNow_ThreeWorkersOneKilled_RowsOfTheEmbeddedRunEachStageOnceAndTheFeedShowsWhatTheWorkersDid()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(Slow, Ct);
        var expected = await EmbeddedDumpAsync(sim);
        await using var distributed = new SyncHarness(Backend.Postgres);
        var (database, queue, env) = await DeploymentAsync(distributed);
        var workers = new List<PulseCliProcess>();
        // serve runs no stage consumers here: it launches, watches and requeues a quiet run (the killed worker's claims).
        await using var serve = await ServeProcess.StartAsync(["--database", database, "--queue", queue, "--no-embeddings", "--requeue-after-seconds", "10"], env, Ct);
        var workerSources = new HashSet<string>();
        try
        {
            for (var i = 0; i < 3; i++) workers.Add(await StartWorkerAsync(database, queue, env));
            workerSources.UnionWith(workers.Select(w => $"worker:{w.Id}"));
            var (key, jobId) = await serve.SetUpTenantAsync(sim.GraphQLUrl, SyntheticDataset.OrganizationLogin, Ct);
            await using var feed = await serve.ConnectFeedAsync(key, Ct);
            await feed.WaitForOverallAsync(jobId, TimeSpan.FromMinutes(1), "READY");

            using var client = serve.Client(key);
            var accepted = await client.PostAsync($"/api/jobs/{jobId}/run-now", null, Ct);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);

            await WorkerProcessTests.WaitUntilAsync(async () => await DistributedChecks.CountAsync(database, "SELECT count(*) FROM raw_extraction_data") >= 2, TimeSpan.FromMinutes(3));
            Assert.Equal("running", await ScalarAsync<string>(database, "SELECT status FROM etl_job_runs"));
            workers[0].KillHard();
            await workers[0].DisposeAsync();
            workers[0] = await StartWorkerAsync(database, queue, env);
            workerSources.Add($"worker:{workers[0].Id}");
            FaultSuite.FaultSuiteLog.Kills(nameof(ServeDistributedTests), 1);

            var final = await feed.WaitForOverallAsync(jobId, TimeSpan.FromMinutes(5), "FINISHED", "FAILED");
            Assert.True(final.GetProperty("status").GetProperty("overall").GetString() == "FINISHED", $"{final}\nserve:\n{serve.Output}\nworker:\n{workers[1].Output}");

            var updates = feed.Updates.Where(u => u.GetProperty("job_id").GetInt64() == jobId).ToList();
            var transitions = Transitions(updates);
            foreach (var group in transitions.GroupBy(t => (t.Step, t.Stage)))
                Assert.True(group.Last().State == "finished", $"{group.Key}: {string.Join(" → ", group.Select(t => t.State))}");
            Assert.Equal(4 * WorkerStages.Length, transitions.Select(t => (t.Step, t.Stage)).Distinct().Count());
            // The feed shows what the workers reported over NOTIFY: serve (polling its job every second) can only beat a
            // worker to a change in the moment between the worker's commit and its NOTIFY, so most changes name a worker.
            var byWorkers = transitions.Where(t => t.Source is not null && workerSources.Contains(t.Source)).ToList();
            var report = string.Join("\n", transitions.Select(t => $"{t.Step}/{t.Stage} → {t.State} from {t.Source ?? "snapshot"}"));
            Assert.True(byWorkers.Count(t => t.State == "finished") >= 4, $"finished stages first shown from a worker's report:\n{report}");
            Assert.True(byWorkers.Any(t => t.State == "running"), $"no running stage first shown from a worker's report:\n{report}");

            // The API reads the same PostgreSQL rows.
            var prs = await ServeProcess.ReadAsync(await client.GetAsync("/api/prs?page_size=5&state=MERGED", Ct));
            Assert.Equal(await DistributedChecks.CountAsync(database, "SELECT count(*) FROM prs WHERE state = 'MERGED'"), prs.GetProperty("total").GetInt64());
            var first = prs.GetProperty("items")[0].GetProperty("id").GetInt64();
            var detail = await ServeProcess.ReadAsync(await client.GetAsync($"/api/prs/{first}", Ct));
            Assert.Equal(await DistributedChecks.CountAsync(database, $"SELECT count(*) FROM prs_commits WHERE pr_id = {first}"), detail.GetProperty("commits").GetArrayLength());
            Assert.Equal(await DistributedChecks.CountAsync(database, "SELECT count(*) FROM repositories"), (await ServeProcess.ReadAsync(await client.GetAsync("/api/repositories", Ct))).GetArrayLength());
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }
        await AssertSameRowsEachStageOnceAsync(expected, distributed, database);
    }

    [Fact]
    public async Task Serve_KilledMidRunAndStartedAgain_RunCompletesWithTheSameRowsAndTheNewServesFeedShowsTheEnd()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(Slow, Ct);
        var expected = await EmbeddedDumpAsync(sim);
        await using var distributed = new SyncHarness(Backend.Postgres);
        var (database, queue, env) = await DeploymentAsync(distributed);
        string[] serveArgs = ["--database", database, "--queue", queue, "--no-embeddings", "--lease-seconds", "5", "--requeue-after-seconds", "10"];
        var workers = new List<PulseCliProcess>();
        try
        {
            for (var i = 0; i < 3; i++) workers.Add(await StartWorkerAsync(database, queue, env));
            long jobId;
            string key;
            await using (var serve = await ServeProcess.StartAsync(serveArgs, env, Ct))
            {
                (key, jobId) = await serve.SetUpTenantAsync(sim.GraphQLUrl, SyntheticDataset.OrganizationLogin, Ct);
                using var client = serve.Client(key);
                Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.PostAsync($"/api/jobs/{jobId}/run-now", null, Ct)).StatusCode);
                await WorkerProcessTests.WaitUntilAsync(async () => await DistributedChecks.CountAsync(database, "SELECT count(*) FROM raw_extraction_data") >= 2, TimeSpan.FromMinutes(3));
                Assert.Equal("running", await ScalarAsync<string>(database, "SELECT status FROM etl_job_runs"));
                serve.KillHard();
                FaultSuite.FaultSuiteLog.Kills(nameof(ServeDistributedTests), 1);
            }

            // The workers go on; the new serve takes the job over once the dead one's lease (5 s) has expired.
            await using var restarted = await ServeProcess.StartAsync(serveArgs, env, Ct);
            await using var feed = await restarted.ConnectFeedAsync(key, Ct);
            var final = await feed.WaitForOverallAsync(jobId, TimeSpan.FromMinutes(5), "FINISHED", "FAILED");
            Assert.True(final.GetProperty("status").GetProperty("overall").GetString() == "FINISHED", $"{final}\nserve:\n{restarted.Output}");
            Assert.Equal(1L, await DistributedChecks.CountAsync(database, "SELECT count(*) FROM etl_job_runs"));
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }
        await AssertSameRowsEachStageOnceAsync(expected, distributed, database);
    }

    private static async Task<string> EmbeddedDumpAsync(GitHubSimulatorServer sim)
    {
        await using var embedded = new SyncHarness(Backend.Sqlite);
        Assert.True((await embedded.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);
        return await embedded.CanonicalDumpAsync();
    }

    private static async Task<(string Database, string Queue, Dictionary<string, string> Env)> DeploymentAsync(SyncHarness harness) =>
        (await harness.PostgresAsync(Ct), TestServers.RabbitMqWithPrefix(harness.QueuePrefix),
            new Dictionary<string, string> { ["PULSE_SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });

    private static Task<PulseCliProcess> StartWorkerAsync(string database, string queue, Dictionary<string, string> env) =>
        PulseCliProcess.StartAsync(["worker", "--database", database, "--queue", queue, "--stages", "extract,transform", "--concurrency", "2", "--lease-seconds", "5"], env, Ct);

    private static async Task AssertSameRowsEachStageOnceAsync(string expected, SyncHarness distributed, string database)
    {
        var actual = await distributed.CanonicalDumpAsync();
        FaultSuite.FaultSuiteLog.Compare(nameof(ServeDistributedTests), expected, actual);
        Assert.Equal(expected, actual);
        await using var c = new NpgsqlConnection(database);
        await DistributedChecks.RunSucceededEachStageFinishedOnceAsync(c);
    }

    /// <summary>Every stage state the feed showed, in order, with the process whose report first showed it (null: the snapshot on connect).</summary>
    private static List<(string Step, string Stage, string State, string? Source)> Transitions(IEnumerable<JsonElement> updates)
    {
        var last = new Dictionary<(string, string), string>();
        var transitions = new List<(string, string, string, string?)>();
        foreach (var update in updates)
        {
            var source = update.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            foreach (var step in update.GetProperty("status").GetProperty("steps").EnumerateObject())
                foreach (var stage in WorkerStages)
                {
                    var state = step.Value.GetProperty(stage).GetString()!;
                    if (last.TryGetValue((step.Name, stage), out var before) && before == state) continue;
                    last[(step.Name, stage)] = state;
                    transitions.Add((step.Name, stage, state, source));
                }
        }
        return transitions;
    }

    private static async Task<T?> ScalarAsync<T>(string database, string sql)
    {
        await using var c = new NpgsqlConnection(database);
        return await c.ExecuteScalarAsync<T>(sql);
    }
}
