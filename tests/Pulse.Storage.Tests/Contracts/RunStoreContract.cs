using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

/// <summary>Runs and their state machine's blocks, driven through the one <see cref="RunCoordinator"/> every process uses.</summary>
public abstract class RunStoreContract : StoreContract
{
    private async Task<(RunRecord Run, RunCoordinator Coordinator, InProcessQueue Queue)> StartAsync(bool withCheckpoint)
    {
        var (job, repository) = await NewJobAsync();
        var checkpoints = withCheckpoint ? [new NewCheckpoint(repository.Id, FetchKind.PullRequests, repository.NodeId, null, null, 0, null)] : new List<NewCheckpoint>();
        var run = await Stores.Runs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, Clock.GetUtcNow(), null, false, checkpoints, 100), Ct);
        var queue = new InProcessQueue();
        return (run, new RunCoordinator(Stores.Runs, queue, new InProcessJobEventBus(), Clock), queue);
    }

    [Fact]
    public async Task StartRun_MarksTheJobRunningWithTwelveIdleStages()
    {
        var (run, _, _) = await StartAsync(withCheckpoint: true);

        var status = await Stores.Runs.GetStatusAsync(run.JobId, Ct);
        Assert.Equal((OverallStatus.Running, run.Id), (status.Overall, status.RunId));
        Assert.Equal(4, status.Steps.Count);
        Assert.All(status.Steps.Values, s => Assert.Equal([StageState.Idle, StageState.Idle, StageState.Idle], [s.Extraction, s.Transform, s.Embedding]));
        Assert.Equal(Clock.GetUtcNow(), run.StartedAt);
        Assert.Equal([(await Stores.Runs.ListOpenWorkAsync(run.Id, Ct)).Checkpoints.Single()], (await Stores.Runs.ListOpenWorkAsync(run.Id, Ct)).Checkpoints);
    }

    [Fact]
    public async Task AfterCommit_WorkStillOpen_EndsNothing_ThenNothingOpen_EndsTheRunOnceAtTheClocksTime()
    {
        var (run, coordinator, _) = await StartAsync(withCheckpoint: true);
        await coordinator.MarkRunningAsync(run.Id, GitHubPrJob.PullRequests.Name, Stage.Extract, run.JobId, run.TenantId, Ct);
        await coordinator.AfterCommitAsync(run.Id, Ct);
        Assert.Equal(RunStatus.Running, (await Stores.Runs.GetRunAsync(run.Id, Ct))!.Status);
        Assert.Equal(StageState.Running, (await Stores.Runs.GetStatusAsync(run.JobId, Ct)).Steps[GitHubPrJob.PullRequests.Name].Extraction);

        // The listing turns out empty: its checkpoint is done and nothing else was revealed.
        var turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 10, "w", Clock.GetUtcNow().AddMinutes(1), Ct))!;
        var outcome = new PageOutcome([new CheckpointAdvance(turn.Checkpoints[0].Id, null, true, 0, 0, false, null)], [], [], new Dictionary<string, long>(), []);
        await Stores.Checkpoints.CommitPageAsync(new ExtractedPage(run.Id, run.TenantId, run.IntegrationId, "pull_requests", "h", "{}", "{}"u8.ToArray(), outcome, 1, 1)
            { LeaseOwner = "w" }, Ct);
        Clock.Advance(TimeSpan.FromMinutes(3));
        await coordinator.AfterCommitAsync(run.Id, Ct);
        await coordinator.AfterCommitAsync(run.Id, Ct);

        var ended = (await Stores.Runs.GetRunAsync(run.Id, Ct))!;
        Assert.Equal((RunStatus.Succeeded, Clock.GetUtcNow()), (ended.Status, ended.FinishedAt));
        var job = (await Stores.Jobs.GetJobAsync(run.JobId, Ct))!;
        Assert.Equal((OverallStatus.Finished, run.StartedAt, Clock.GetUtcNow() + job.ScheduleInterval), (job.Overall, job.LastSyncDate, job.NextRun));
        Assert.All((await Stores.Runs.GetStatusAsync(run.JobId, Ct)).Steps.Values,
            s => Assert.Equal([StageState.Finished, StageState.Finished, StageState.Finished], [s.Extraction, s.Transform, s.Embedding]));
    }

    [Fact]
    public async Task RecordFailure_PastItsAttempts_EndsTheRunFailedWithThatItemsError()
    {
        var (run, coordinator, _) = await StartAsync(withCheckpoint: true);
        var turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 10, "w", Clock.GetUtcNow().AddMinutes(1), Ct))!;
        var units = new[] { new RawUnit("a0", FetchKind.PullRequests, turn.Checkpoints[0].RepositoryId, "R_1", null, null, true) };
        var outcome = new PageOutcome([new CheckpointAdvance(turn.Checkpoints[0].Id, null, true, 1, 0, false, null)], [], units, new Dictionary<string, long>(), []);
        var page = await Stores.Checkpoints.CommitPageAsync(new ExtractedPage(run.Id, run.TenantId, run.IntegrationId, "pull_requests", "h", "{}", "{}"u8.ToArray(),
            outcome, 1, 1) { LeaseOwner = "w" }, Ct);
        var item = page.TransformItemsToQueue.Single();

        Assert.False(await Stores.WorkItems.RecordFailureAsync(item, "first try", 2, Ct));
        await coordinator.AfterCommitAsync(run.Id, Ct);
        Assert.Equal(RunStatus.Running, (await Stores.Runs.GetRunAsync(run.Id, Ct))!.Status);
        Assert.True(await Stores.WorkItems.RecordFailureAsync(item, "gave up after 2 attempts: boom", 2, Ct));
        await coordinator.AfterCommitAsync(run.Id, Ct);

        var ended = (await Stores.Runs.GetRunAsync(run.Id, Ct))!;
        Assert.Equal((RunStatus.Failed, "transform of github_pull_requests failed: gave up after 2 attempts: boom"), (ended.Status, ended.Error));
        var status = await Stores.Runs.GetStatusAsync(run.JobId, Ct);
        Assert.Equal((OverallStatus.Failed, StageState.Failed), (status.Overall, status.Steps[GitHubPrJob.PullRequests.Name].Transform));

        // A failed run with failed work is reopened: the item is pending again, the run and the stage running.
        Assert.True(await RunStateMachine.ReopenAsync(Stores.Runs, run.Id, Ct));
        Assert.Equal([item], (await Stores.Runs.ListOpenWorkAsync(run.Id, Ct)).TransformItems);
        Assert.Equal(RunStatus.Running, (await Stores.Runs.GetRunAsync(run.Id, Ct))!.Status);
    }

    [Fact]
    public async Task ReadSnapshot_WithoutTheLock_ReadsWhatTheLockedReadDoes_AndNullForNoRun()
    {
        var (run, coordinator, _) = await StartAsync(withCheckpoint: true);
        await coordinator.MarkRunningAsync(run.Id, GitHubPrJob.PullRequests.Name, Stage.Extract, run.JobId, run.TenantId, Ct);
        await AssertSameAsLockedAsync(run.Id, open: true, failed: false);

        var turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 10, "w", Clock.GetUtcNow().AddMinutes(1), Ct))!;
        await Stores.Checkpoints.ReleaseAsync([turn.Checkpoints[0].Id], "w", new CheckpointRelease(CountAttempt: true, FailWith: "gone", MaxAttempts: 1), Ct);
        await AssertSameAsLockedAsync(run.Id, open: false, failed: true);

        Assert.Null(await Stores.Runs.ReadSnapshotAsync(run.Id + 1_000, Ct));
    }

    private async Task AssertSameAsLockedAsync(long runId, bool open, bool failed)
    {
        var read = (await Stores.Runs.ReadSnapshotAsync(runId, Ct))!;
        var locked = await Stores.Runs.LockRunAsync(runId, (tx, token) => tx.ReadAsync(token), Ct);

        Assert.Equal(locked.Run, read.Run);
        Assert.Equal(locked.Stages.OrderBy(s => s.Key.ToString()), read.Stages.OrderBy(s => s.Key.ToString()));
        var listing = read.Stages[new StageKey(GitHubPrJob.PullRequests.Name, Stage.Extract)];
        Assert.Equal((StageState.Running, open, failed), (listing.State, listing.Open, listing.Failed));
        Assert.Equal(12, read.Stages.Count);
    }

    [Fact]
    public async Task FailRun_EndsItOnceWithTheCause_AndAnEndedRunIsNotEndedAgain()
    {
        var (run, coordinator, _) = await StartAsync(withCheckpoint: true);
        await coordinator.FailRunAsync(run.Id, "Bad credentials", Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await coordinator.FailRunAsync(run.Id, "something else", Ct);

        var ended = (await Stores.Runs.GetRunAsync(run.Id, Ct))!;
        Assert.Equal((RunStatus.Failed, "Bad credentials"), (ended.Status, ended.Error));
        var job = (await Stores.Jobs.GetJobAsync(run.JobId, Ct))!;
        Assert.Equal((OverallStatus.Failed, "Bad credentials", 1), (job.Overall, job.Error, job.RetryCount));
    }
}

public sealed class SqliteRunStoreContract : RunStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresRunStoreContract : RunStoreContract
{
    protected override bool Postgres => true;
}
