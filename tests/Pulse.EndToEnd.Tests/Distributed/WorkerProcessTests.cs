using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Distributed;

public sealed class WorkerProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_ThreeWorkerProcessesOneKilledMidRun_EndsWithTheRowsOfTheEmbeddedRunEachStageFinishedOnce()
    {
        // CI kills one worker; a soak run (scripts/fault-suite.sh --soak) kills ten, one after another, each replaced.
        var wanted = int.TryParse(Environment.GetEnvironmentVariable("PULSE_DISTRIBUTED_KILLS"), out var k) && k > 0 ? k : 1;
        var spec = SyntheticSpec.Parse($"repos=6,prs={Math.Max(150, 60 * wanted)},seed=23,commits_max=400,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(1000) }, Ct);
        await using var embedded = new SyncHarness(Backend.Sqlite);
        Assert.True((await embedded.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);
        await using (var e = await embedded.OpenAsync())
        {
            var pages = await e.ExecuteScalarAsync<long>("SELECT pages FROM etl_job_runs");
            Assert.True(pages >= 4 + wanted, $"the run spans {pages} pages: too few to kill {wanted} workers in the middle");
        }

        await using var distributed = new SyncHarness(Backend.Postgres);
        var database = await distributed.PostgresAsync(Ct);
        var queue = TestServers.RabbitMqWithPrefix(distributed.QueuePrefix);
        var env = new Dictionary<string, string> { ["PULSE_SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var workers = new List<PulseCliProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
                workers.Add(await PulseCliProcess.StartAsync(["worker", "--database", database, "--queue", queue, "--stages", "extract,transform", "--concurrency", "2", "--lease-seconds", "5"], env, Ct));
            await using var sync = await PulseCliProcess.StartAsync(["sync", "--github-url", sim.GraphQLUrl.ToString(), "--token", "sim-token", "--owner", SyntheticDataset.OrganizationLogin,
                "--database", database, "--queue", queue, "--no-embeddings", "--quiet", "--requeue-after-seconds", "5"], env, Ct);

            // SIGKILL one worker once the run is under way (every answer takes 1 s, so workers hold claims and unacked messages):
            // what it held must be taken over by the others.
            await WaitUntilAsync(async () => await DistributedChecks.CountAsync(database, "SELECT count(*) FROM raw_extraction_data") >= 2 || sync.HasExited, TimeSpan.FromMinutes(3));
            Assert.False(sync.HasExited, $"the run ended before a worker could be killed:\n{sync.Output}");
            var workerArgs = new[] { "worker", "--database", database, "--queue", queue, "--stages", "extract,transform", "--concurrency", "2", "--lease-seconds", "5" };
            var kills = 0;
            for (var kill = 0; kill < wanted; kill++)
            {
                if (kill > 0)
                {
                    var before = await DistributedChecks.CountAsync(database, "SELECT count(*) FROM raw_extraction_data");
                    await WaitUntilAsync(async () => await DistributedChecks.CountAsync(database, "SELECT count(*) FROM raw_extraction_data") > before || sync.HasExited, TimeSpan.FromMinutes(3));
                    if (sync.HasExited) break;
                }
                var victim = kill % workers.Count;
                workers[victim].KillHard();
                await workers[victim].DisposeAsync();
                workers[victim] = await PulseCliProcess.StartAsync(workerArgs, env, Ct);
                FaultSuite.FaultSuiteLog.Kills(nameof(WorkerProcessTests), 1);
                kills++;
            }
            Assert.True(kills == wanted, $"only {kills} of {wanted} worker kills landed before the run ended");

            var code = await sync.WaitAsync(TimeSpan.FromMinutes(5), Ct);
            Assert.True(code == 0, $"sync exited {code}:\n{sync.Output}\nworker 2:\n{workers[1].Output}");
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }

        var (expected, actual) = (await embedded.CanonicalDumpAsync(), await distributed.CanonicalDumpAsync());
        FaultSuite.FaultSuiteLog.Compare(nameof(WorkerProcessTests), expected, actual);
        Assert.Equal(expected, actual);
        await using var c = new NpgsqlConnection(database);
        await DistributedChecks.RunSucceededEachStageFinishedOnceAsync(c);
    }


    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < until, $"condition not met within {timeout}");
            await Task.Delay(50, Ct);
        }
    }
}
