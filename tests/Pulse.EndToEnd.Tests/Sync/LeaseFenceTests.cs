using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Storage;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// A worker whose lease ran out (say, while the database was away) and whose checkpoint another worker took over must not
/// store its late answer: it would advance the cursor a second time and queue its rows again, possibly after the step's
/// transform had ended — rows written past the step's closing sweep.
/// </summary>
public sealed class LeaseFenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task CommitPage_AfterTheLeaseRanOutAndAnotherWorkerTookTheCheckpoint_WritesNothingAndLeavesTheOtherWorkersLease(Backend backend)
    {
        var spec = SyntheticSpec.Parse("repos=1,prs=5,seed=23,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness(backend);
        Assert.True((await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);
        var (checkpointId, runId) = await ReopenOneCheckpointAsync(harness);

        var (storage, database) = await harness.OpenStorageAsync(Ct);
        await using (database)
        {
            var checkpoints = storage.Checkpoints;
            // Worker A's lease is over at once; worker B takes the checkpoint over.
            var a = await checkpoints.ClaimTurnAsync([], owedIfNone: false, 10, "worker-a", DateTimeOffset.UtcNow.AddMinutes(-1), Ct);
            Assert.Equal([checkpointId], a!.Checkpoints.Select(c => c.Id));
            var b = await checkpoints.ClaimTurnAsync([], owedIfNone: false, 10, "worker-b", DateTimeOffset.UtcNow.AddMinutes(5), Ct);
            Assert.Equal([checkpointId], b!.Checkpoints.Select(c => c.Id));
            var before = await CountsAsync(harness, checkpointId);

            // A's late release and late page change nothing.
            await checkpoints.ReleaseAsync([checkpointId], "worker-a", new CheckpointRelease(CountAttempt: true), Ct);
            var late = await checkpoints.CommitPageAsync(Page(runId, a.Checkpoints[0], "worker-a"), Ct);

            Assert.True(late.Discarded);
            Assert.Empty(late.TransformItemsToQueue);
            Assert.Equal(before, await CountsAsync(harness, checkpointId));
            Assert.Equal("worker-b", await LeaseOwnerAsync(harness, checkpointId));

            // B, who holds it, stores its page.
            var stored = await checkpoints.CommitPageAsync(Page(runId, b.Checkpoints[0], "worker-b"), Ct);

            Assert.False(stored.Discarded);
            // Its transform item is stored waiting: the commits step's transform starts after the PR transform, a gate only the
            // run's state machine opens (RunStateMachine), so the page commit itself queues nothing.
            Assert.Empty(stored.TransformItemsToQueue);
            Assert.Equal(before with { RawPages = before.RawPages + 1, CheckpointPages = before.CheckpointPages + 1, WorkItems = before.WorkItems + 1, Cursor = "cursor-2" },
                await CountsAsync(harness, checkpointId));
            Assert.Null(await LeaseOwnerAsync(harness, checkpointId));
        }
    }

    /// <summary>Puts the finished run back to running with one of its commits checkpoints pending again, unleased.</summary>
    private static async Task<(long CheckpointId, long RunId)> ReopenOneCheckpointAsync(SyncHarness harness)
    {
        await using var c = await harness.OpenAsync();
        var (id, runId) = await c.QuerySingleAsync<(long, long)>("SELECT id, run_id FROM checkpoints WHERE kind = 'commits' ORDER BY id LIMIT 1");
        await c.ExecuteAsync("UPDATE checkpoints SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE id = @id", new { id });
        await c.ExecuteAsync("UPDATE etl_job_runs SET status = 'running' WHERE id = @runId", new { runId });
        return (id, runId);
    }

    private static ExtractedPage Page(long runId, Checkpoint cp, string owner)
    {
        var unit = new RawUnit("u0", FetchKind.Commits, cp.RepositoryId, cp.ParentNodeId, cp.PullRequestNodeId, cp.Since, Ok: true);
        var outcome = new PageOutcome([new CheckpointAdvance(cp.Id, "cursor-2", Done: false, 1, 1, Failed: false, null)], [], [unit],
            new Dictionary<string, long>(), []);
        return new ExtractedPage(runId, cp.TenantId, IntegrationId: 1, "commits", "hash", "{}", """{"data":{"u0":{"commits":{"nodes":[]}}}}"""u8.ToArray(),
            outcome, Points: 1, Requests: 1) { LeaseOwner = owner };
    }

    private sealed record Counts(long RawPages, long CheckpointPages, long WorkItems, string? Cursor);

    private static async Task<Counts> CountsAsync(SyncHarness harness, long checkpointId)
    {
        await using var c = await harness.OpenAsync();
        return new Counts(
            await c.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_extraction_data"),
            await c.ExecuteScalarAsync<long>("SELECT pages FROM checkpoints WHERE id = @checkpointId", new { checkpointId }),
            await c.ExecuteScalarAsync<long>("SELECT count(*) FROM work_items"),
            await c.ExecuteScalarAsync<string?>("SELECT cursor FROM checkpoints WHERE id = @checkpointId", new { checkpointId }));
    }

    private static async Task<string?> LeaseOwnerAsync(SyncHarness harness, long checkpointId)
    {
        await using var c = await harness.OpenAsync();
        return await c.ExecuteScalarAsync<string?>("SELECT lease_owner FROM checkpoints WHERE id = @checkpointId", new { checkpointId });
    }
}
