using Dapper;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

public sealed class ResumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_InterruptedMidRunThenRunAgain_EndsWithTheRowsOfAnUninterruptedRunAndRefetchesNoCommittedPage(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=40,seed=19,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(30) }, Ct);
        await using var clean = new SyncHarness(backend);
        Assert.True((await clean.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        await using var interrupted = new SyncHarness(backend);
        using (var kill = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var first = interrupted.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: kill.Token);
            // Stop the process's work abruptly once a few pages are committed: in-flight requests and transactions are abandoned.
            while (!first.IsCompleted && await interrupted.CommittedPagesAsync() < 4) await Task.Delay(20, Ct);
            await kill.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        }
        var afterKill = await interrupted.CommittedPagesAsync();
        Assert.True(afterKill >= 4);

        var resumed = await interrupted.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct);

        Assert.True(resumed.Succeeded, resumed.Error);
        Assert.Equal(await clean.CanonicalDumpAsync(), await interrupted.CanonicalDumpAsync());
        await using var c = await interrupted.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM etl_job_runs"));
        // Every checkpoint page was fetched once: the committed pages of both attempts add up to the pages of one clean run.
        await using var cc = await clean.OpenAsync();
        var cleanCheckpointPages = await cc.ExecuteScalarAsync<long>("SELECT sum(pages) FROM checkpoints");
        Assert.Equal(cleanCheckpointPages, await c.ExecuteScalarAsync<long>("SELECT sum(pages) FROM checkpoints"));
    }
}
