using System.Diagnostics;
using System.Security.Cryptography;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>
/// Issue #11, reproduced as filed: `pulse worker` processes holding another PULSE_SECRET_KEY than `pulse sync`. Whichever
/// starts first, the sync exits non-zero within 60 s (of its own start when the workers were first, of a worker's refusal
/// when it was) and its last line names the key mismatch; and a distributed sync that no worker serves fails naming the
/// stages, instead of printing RUNNING 0/0 for as long as it is left.
/// </summary>
public sealed class KeyMismatchTests
{
    private const string Mismatch = "PULSE_SECRET_KEY does not match the key this database was set up with";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Sync_WorkersHoldAnotherKey_ExitsNonZeroWithin60SecondsNamingTheMismatch(bool workersFirst)
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = SyntheticSpec.Parse("repos=2,prs=10,seed=47,big_body=false"), ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness(Backend.Postgres);
        var database = await harness.PostgresAsync(Ct);
        var queue = TestServers.RabbitMqWithPrefix(harness.QueuePrefix);
        var syncKey = Key();
        var workerKey = Key();
        var workers = new List<PulseCliProcess>();
        try
        {
            if (workersFirst)
            {
                for (var i = 0; i < 2; i++) workers.Add(await WorkerAsync(database, queue, workerKey));
                await WorkerProcessTests.WaitUntilAsync(async () => await DistributedChecks.CountAsync(database, "SELECT count(*) FROM worker_presence WHERE refusal IS NULL") == 2,
                    TimeSpan.FromMinutes(1));
            }
            var clock = Stopwatch.StartNew();
            await using var sync = await PulseCliProcess.StartAsync(["sync", "--github-url", sim.GraphQLUrl.ToString(), "--token", "sim-token",
                "--owner", SyntheticDataset.OrganizationLogin, "--database", database, "--queue", queue, "--no-embeddings"], syncKey, Ct);
            if (!workersFirst)
            {
                // The sync set the database up with its key; the workers come after it.
                await WorkerProcessTests.WaitUntilAsync(async () => sync.HasExited || await DistributedChecks.CountAsync(database, "SELECT count(*) FROM etl_job_runs") == 1,
                    TimeSpan.FromMinutes(1));
                Assert.False(sync.HasExited, sync.Output);
                for (var i = 0; i < 2; i++) workers.Add(await WorkerAsync(database, queue, workerKey));
                // From here the mismatch is known to the database: how long a worker process takes to start is not the sync's to bound.
                await WorkerProcessTests.WaitUntilAsync(async () => sync.HasExited
                    || await DistributedChecks.CountAsync(database, "SELECT count(*) FROM worker_presence WHERE refusal IS NOT NULL") >= 1, TimeSpan.FromMinutes(3));
                clock.Restart();
            }

            var code = await sync.WaitAsync(TimeSpan.FromMinutes(3), Ct);
            var elapsed = clock.Elapsed;
            var lines = sync.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            Assert.True(code != 0, sync.Output);
            Assert.True(elapsed < TimeSpan.FromSeconds(60), $"the sync took {elapsed} to fail ({(workersFirst ? "from its start" : "after a worker refused")}):\n{sync.Output}");
            Assert.Contains(Mismatch, lines[^1], StringComparison.Ordinal);
            if (!workersFirst)
            {
                Assert.StartsWith("pulse sync: failed: no live pulse worker runs the extract and transform stages: the worker on ", lines[^1], StringComparison.Ordinal);
                // The workers refused too, each with the same line, and stayed down.
                foreach (var w in workers)
                {
                    Assert.Equal(2, await w.WaitAsync(TimeSpan.FromSeconds(60), Ct));
                    Assert.Contains($"pulse worker: {Mismatch}", w.Output, StringComparison.Ordinal);
                }
                Assert.Equal(("failed", 1L), (await ScalarAsync(database, "SELECT status FROM etl_job_runs"), await DistributedChecks.CountAsync(database, "SELECT count(*) FROM etl_job_runs")));
            }
            else Assert.StartsWith($"pulse sync: {Mismatch}", lines[^1], StringComparison.Ordinal);
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sync_NoWorkerRunning_FailsAfterItsWaitNamingTheStagesNobodyRuns()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = SyntheticSpec.Parse("repos=1,prs=5,seed=53,big_body=false"), ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness(Backend.Postgres);
        var database = await harness.PostgresAsync(Ct);
        await using var sync = await PulseCliProcess.StartAsync(["sync", "--github-url", sim.GraphQLUrl.ToString(), "--token", "sim-token",
            "--owner", SyntheticDataset.OrganizationLogin, "--database", database, "--queue", TestServers.RabbitMqWithPrefix(harness.QueuePrefix), "--no-embeddings",
            "--wait-for-workers-seconds", "3"], Key(), Ct);

        var code = await sync.WaitAsync(TimeSpan.FromSeconds(90), Ct);

        Assert.Equal(1, code);
        var last = sync.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.Equal("pulse sync: failed: no live pulse worker runs the extract and transform stages (waited 3 s): "
            + "start `pulse worker --database ... --queue ...` with the same PULSE_SECRET_KEY", last);
    }

    private static Dictionary<string, string> Key() => new() { ["PULSE_SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

    private static Task<PulseCliProcess> WorkerAsync(string database, string queue, Dictionary<string, string> key) =>
        PulseCliProcess.StartAsync(["worker", "--database", database, "--queue", queue, "--stages", "extract,transform", "--concurrency", "1"], key, Ct);

    private static async Task<string?> ScalarAsync(string database, string sql)
    {
        await using var c = new Npgsql.NpgsqlConnection(database);
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, sql);
    }
}
