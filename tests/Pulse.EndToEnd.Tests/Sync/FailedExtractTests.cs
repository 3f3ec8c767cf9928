using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Security;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// Issue #11: an extract message that fails for good, for a reason GitHub's answer does not explain, ends its run FAILED with
/// the cause within a bounded time — never an endless requeue. Reproduced as in the issue: the workers hold another key
/// than the sync that stored the token, so every turn fails to decrypt it.
/// </summary>
public sealed class FailedExtractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_WorkersCannotDecryptTheToken_CheckpointsFailForGoodAndTheRunEndsFailedWithTheCause(Backend backend)
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = SyntheticSpec.Parse("repos=3,prs=10,seed=41,big_body=false"), ProcessingTimeScale = 0,
        }, Ct);
        await using var harness = new SyncHarness(backend);
        var extraction = new ExtractOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(2) };
        await using var pool = await SharedWorkerPool.StartAsync(harness, new PipelineOptions(), extraction, Ct,
            workerKey: new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32)));
        var clock = Stopwatch.StartNew();

        var result = await pool.SyncAsync(sim, "tenant", "sim-token", [], Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.False(result.Succeeded);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the run took {clock.Elapsed} to fail");
        await using var c = await harness.OpenAsync();
        var checkpoints = (await c.QueryAsync<(string Status, long Attempts, string Error)>("SELECT status, attempts, error FROM checkpoints")).ToList();
        Assert.Equal(await c.ExecuteScalarAsync<long>("SELECT count(*) FROM repositories"), checkpoints.Count);
        Assert.StartsWith("extract of github_pull_requests failed: CryptographicException: The stored token cannot be decrypted with this key",
            result.Error);
        Assert.All(checkpoints, cp =>
        {
            Assert.Equal("failed", cp.Status);
            Assert.Equal(PipelineWorkers.MaxAttempts, cp.Attempts);
            Assert.Contains("cannot be decrypted with this key", cp.Error);
        });
        Assert.Equal(("failed", result.Error), await c.QuerySingleAsync<(string, string)>("SELECT status, error FROM etl_job_runs"));
        Assert.Equal("FAILED", await c.ExecuteScalarAsync<string>("SELECT overall FROM etl_jobs WHERE job_name = 'github_prs'"));
        // Only the sync's discovery reached GitHub: no turn got as far as sending a query.
        Assert.Equal(1, sim.Stats.For("sim-token").Requests);
    }
}
