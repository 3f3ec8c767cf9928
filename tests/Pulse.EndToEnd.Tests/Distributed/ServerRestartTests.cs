using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>
/// Issues #4 and #6: the broker and the database restarted mid-run under a distributed sync (the
/// <c>pulse sync</c> coordinator and three <c>pulse worker</c> processes). Private servers, so the
/// shared ones other tests use are never touched. One class: the two runs take turns on the 2 cores.
/// </summary>
[Collection(PrivateServersCollection.Name)]
public sealed class ServerRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public Task Sync_RabbitMqRestartedMidRun_EndsWithTheRowsOfTheEmbeddedRunEachStageFinishedOnce() =>
        RestartMidRunAsync(nameof(Sync_RabbitMqRestartedMidRun_EndsWithTheRowsOfTheEmbeddedRunEachStageFinishedOnce), async (_, rabbit) =>
        {
            await rabbit.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(10), Ct);   // down longer than a client's quick retries: it must wait for the server
            await rabbit.StartAgainAsync();
        });

    [Fact]
    public Task Sync_RabbitMqKilledMidRunAndStartedAgain_EndsWithTheRowsOfTheEmbeddedRunEachStageFinishedOnce() =>
        RestartMidRunAsync(nameof(Sync_RabbitMqKilledMidRunAndStartedAgain_EndsWithTheRowsOfTheEmbeddedRunEachStageFinishedOnce), async (_, rabbit) =>
        {
            await rabbit.KillAsync();   // a crash: only confirmed messages are the broker's to keep
            await Task.Delay(TimeSpan.FromSeconds(10), Ct);
            await rabbit.StartAgainAsync();
        });

    [Fact]
    public Task Sync_PostgresRestartedMidRun_EndsWithTheRowsOfTheEmbeddedRunEachStageFinishedOnce() =>
        RestartMidRunAsync(nameof(Sync_PostgresRestartedMidRun_EndsWithTheRowsOfTheEmbeddedRunEachStageFinishedOnce), async (postgres, _) =>
        {
            await postgres.StopAsync("immediate");   // a crash as clients see it: open transactions and sessions cut
            await Task.Delay(TimeSpan.FromSeconds(10), Ct);
            await postgres.StartAgainAsync();
        });

    private static async Task RestartMidRunAsync(string test, Func<PrivatePostgres, PrivateRabbitMq, Task> restart)
    {
        var spec = SyntheticSpec.Parse("repos=4,prs=120,seed=41,commits_max=400,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(1000) }, Ct);
        var starting = (PrivatePostgres.StartAsync(), PrivateRabbitMq.StartAsync());
        await using var postgres = await starting.Item1;
        await using var rabbit = await starting.Item2;
        await using var embedded = new SyncHarness(Backend.Sqlite);
        Assert.True((await embedded.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        var database = postgres.ConnectionString;
        // The test's own look-ups open a fresh session each time: pooled ones die with the server.
        var probe = database + ";Pooling=false";
        var env = new Dictionary<string, string> { ["PULSE_SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        string[] workerArgs = ["worker", "--database", database, "--queue", rabbit.Uri, "--stages", "extract,transform", "--concurrency", "2", "--lease-seconds", "5"];
        var workers = new List<PulseCliProcess>();
        try
        {
            for (var i = 0; i < 3; i++) workers.Add(await PulseCliProcess.StartAsync(workerArgs, env, Ct));
            await using var sync = await PulseCliProcess.StartAsync(["sync", "--github-url", sim.GraphQLUrl.ToString(), "--token", "sim-token", "--owner", SyntheticDataset.OrganizationLogin,
                "--database", database, "--queue", rabbit.Uri, "--no-embeddings", "--quiet", "--requeue-after-seconds", "5"], env, Ct);

            // Restart once the run is under way (every answer takes 1 s, so workers hold claims, open transactions and unacked messages).
            await WorkerProcessTests.WaitUntilAsync(async () => await DistributedChecks.CountAsync(probe, "SELECT count(*) FROM raw_extraction_data") >= 2 || sync.HasExited, TimeSpan.FromMinutes(3));
            Assert.False(sync.HasExited, $"the run ended before the restart:\n{sync.Output}");
            long pagesAtRestart;
            // Answers are held across the restart, so requests are in flight through it however fast this machine is,
            // and their pages arrive after it: the restart lands mid-run, never after the extraction ended.
            using (sim.Answers.Hold())
            {
                await WorkerProcessTests.WaitUntilAsync(() => Task.FromResult(sim.Answers.Waiting > 0 || sync.HasExited), TimeSpan.FromMinutes(1));
                Assert.True(sim.Answers.Waiting > 0, $"no request was in flight to hold across the restart:\n{sync.Output}");
                await restart(postgres, rabbit);
                FaultSuite.FaultSuiteLog.Faults(test, 1);
                pagesAtRestart = await DistributedChecks.CountAsync(probe, "SELECT count(*) FROM raw_extraction_data");
            }

            var code = await sync.WaitAsync(TimeSpan.FromMinutes(8), Ct);
            Assert.True(code == 0, $"sync exited {code}:\n{sync.Output}\nworker 1:\n{workers[0].Output}");
            Assert.All(workers, w => Assert.False(w.HasExited, $"a worker exited ({(w.HasExited ? w.ExitCode : 0)}) instead of riding out the restart:\n{w.Output}"));
            Assert.True(await DistributedChecks.CountAsync(probe, "SELECT count(*) FROM raw_extraction_data") > pagesAtRestart, "no page was extracted after the restart: the run ended before it mattered");
        }
        finally
        {
            foreach (var w in workers) await w.DisposeAsync();
        }

        string actual;
        await using (var c = new NpgsqlConnection(probe))
        {
            await c.OpenAsync(Ct);
            actual = await SyncHarness.CanonicalDumpAsync(c);
            await DistributedChecks.RunSucceededEachStageFinishedOnceAsync(c);
        }
        var expected = await embedded.CanonicalDumpAsync();
        FaultSuite.FaultSuiteLog.Compare(test, expected, actual);
        Assert.Equal(expected, actual);
    }

}
