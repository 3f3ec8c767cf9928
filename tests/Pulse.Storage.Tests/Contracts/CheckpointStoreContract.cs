using Pulse.Core.Extract;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

public abstract class CheckpointStoreContract : StoreContract
{
    private async Task<RunRecord> StartAsync(int checkpoints)
    {
        var (job, repository) = await NewJobAsync();
        var list = Enumerable.Range(0, checkpoints).Select(i => new NewCheckpoint(repository.Id, FetchKind.Commits, $"PR_{i}", $"PR_{i}", null, 5, null)).ToList();
        return await Stores.Runs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, Clock.GetUtcNow(), null, false, list, 100), Ct);
    }

    [Fact]
    public async Task ClaimTurn_LeasesTheOldestUntilTheLeaseRunsOut()
    {
        var run = await StartAsync(checkpoints: 5);
        var checkpoints = Stores.Checkpoints;

        var first = (await checkpoints.ClaimTurnAsync([], false, 3, "a", Clock.GetUtcNow().AddSeconds(30), Ct))!;
        Assert.Equal(run, first.Run);   // the run's row as the claim read it: the turn reads it no second time
        Assert.Equal(["PR_0", "PR_1", "PR_2"], first.Checkpoints.Select(c => c.ParentNodeId));
        var second = (await checkpoints.ClaimTurnAsync([], false, 3, "b", Clock.GetUtcNow().AddSeconds(30), Ct))!;
        Assert.Equal(["PR_3", "PR_4"], second.Checkpoints.Select(c => c.ParentNodeId));
        Assert.Null(await checkpoints.ClaimTurnAsync([], false, 3, "c", Clock.GetUtcNow().AddSeconds(30), Ct));
        Assert.Null(await checkpoints.ClaimTurnAsync([run.Id], false, 3, "c", Clock.GetUtcNow().AddSeconds(30), Ct));

        // a's worker died: once its lease ran out, its checkpoints are claimable again.
        Clock.Advance(TimeSpan.FromSeconds(31));
        var taken = (await checkpoints.ClaimTurnAsync([], false, 10, "c", Clock.GetUtcNow().AddSeconds(30), Ct))!;
        Assert.Equal(5, taken.Checkpoints.Count);
    }

    [Fact]
    public async Task StartRun_AConnectionListedTwice_KeepsItsFirstCheckpoint()
    {
        // A PR that moved between listing pages is revealed twice in one batch of new checkpoints: the first copy stays.
        var (job, repository) = await NewJobAsync();
        var list = new[] { ("PR_0", 5L), ("PR_1", 7L), ("PR_0", 9L) }.Select(x => new NewCheckpoint(repository.Id, FetchKind.Commits, x.Item1, x.Item1, null, x.Item2, null)).ToList();
        await Stores.Runs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, Clock.GetUtcNow(), null, false, list, 100), Ct);

        var turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 10, "a", Clock.GetUtcNow().AddSeconds(30), Ct))!;

        Assert.Equal([("PR_0", 5L), ("PR_1", 7L)], turn.Checkpoints.Select(c => (c.ParentNodeId, c.Remaining)));
    }

    [Fact]
    public async Task ClaimTurn_FirstStepPagesPending_TakesThemBeforeOlderPagesOfOtherSteps()
    {
        // The other steps' transforms wait for the first step's: its pages (here a PR's timeline) go first, whatever their age.
        var (job, repository) = await NewJobAsync();
        NewCheckpoint Page(FetchKind kind, string pr) => new(repository.Id, kind, pr, pr, null, 5, null);
        List<NewCheckpoint> list = [Page(FetchKind.Commits, "PR_0"), Page(FetchKind.Reviews, "PR_1"), Page(FetchKind.TimelineEvents, "PR_2"),
            Page(FetchKind.IssueComments, "PR_3"), Page(FetchKind.Labels, "PR_4")];
        await Stores.Runs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, Clock.GetUtcNow(), null, false, list, 100), Ct);

        var turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 3, "a", Clock.GetUtcNow().AddSeconds(30), Ct))!;

        Assert.Equal(["PR_2", "PR_4", "PR_0"], turn.Checkpoints.Select(c => c.ParentNodeId));
    }

    [Fact]
    public async Task Release_PastMaxAttemptsWithAnError_FailsTheCheckpointForGood()
    {
        var run = await StartAsync(checkpoints: 1);
        var turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 1, "a", Clock.GetUtcNow().AddSeconds(30), Ct))!;
        var id = turn.Checkpoints.Single().Id;

        await Stores.Checkpoints.ReleaseAsync([id], "a", new CheckpointRelease(CountAttempt: true, FailWith: "502", MaxAttempts: 2), Ct);
        Assert.Equal([id], (await Stores.Runs.ListOpenWorkAsync(run.Id, Ct)).Checkpoints);
        await Stores.Checkpoints.ReleaseAsync([id], "b", new CheckpointRelease(CountAttempt: true, FailWith: "not b's", MaxAttempts: 1), Ct);
        Assert.Equal([id], (await Stores.Runs.ListOpenWorkAsync(run.Id, Ct)).Checkpoints);
        turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 1, "a", Clock.GetUtcNow().AddSeconds(30), Ct))!;
        Assert.Equal(1, turn.Checkpoints.Single().Attempts);
        await Stores.Checkpoints.ReleaseAsync([id], "a", new CheckpointRelease(CountAttempt: true, FailWith: "502 again", MaxAttempts: 2), Ct);

        Assert.Empty((await Stores.Runs.ListOpenWorkAsync(run.Id, Ct)).Checkpoints);
        var failure = await Stores.Runs.LockRunAsync(run.Id, (tx, ct) => tx.FirstFailureAsync(ct), Ct);
        Assert.Equal(new RunFailure("github_commits", Core.Jobs.Stage.Extract, "502 again"), failure);
    }

    [Fact]
    public async Task CommitPage_OfAWorkerThatLostItsLease_WritesNothing()
    {
        var run = await StartAsync(checkpoints: 1);
        var a = (await Stores.Checkpoints.ClaimTurnAsync([], false, 1, "a", Clock.GetUtcNow().AddSeconds(5), Ct))!;
        Clock.Advance(TimeSpan.FromSeconds(6));
        var b = (await Stores.Checkpoints.ClaimTurnAsync([], false, 1, "b", Clock.GetUtcNow().AddSeconds(5), Ct))!;
        var outcome = new PageOutcome([new CheckpointAdvance(a.Checkpoints[0].Id, "next", false, 1, 4, false, null)], [], [], new Dictionary<string, long>(), []);

        var late = await Stores.Checkpoints.CommitPageAsync(new ExtractedPage(run.Id, run.TenantId, run.IntegrationId, "commits", "h", "{}", "{}"u8.ToArray(), outcome, 1, 1)
            { LeaseOwner = "a" }, Ct);
        Assert.True(late.Discarded);
        var stored = await Stores.Checkpoints.CommitPageAsync(new ExtractedPage(run.Id, run.TenantId, run.IntegrationId, "commits", "h", "{}", "{}"u8.ToArray(), outcome, 1, 1)
            { LeaseOwner = "b" }, Ct);
        Assert.False(stored.Discarded);
        Assert.Equal("next", (await Stores.Checkpoints.ClaimTurnAsync([], false, 1, "c", Clock.GetUtcNow().AddSeconds(5), Ct))!.Checkpoints.Single().Cursor);
        Assert.Equal(b.Checkpoints[0].Id, a.Checkpoints[0].Id);
    }

    [Fact]
    public async Task CommitPage_ThenLoadTransform_GivesBackTheAnswerByteForByte()
    {
        // A listing page: its step's transform runs from the run's start, so its item is queued at once.
        var (job, repository) = await NewJobAsync();
        var run = await Stores.Runs.StartRunAsync(new RunStart(job.TenantId, job.Id, job.IntegrationId, Clock.GetUtcNow(), null, false,
            [new NewCheckpoint(repository.Id, FetchKind.PullRequests, repository.NodeId, null, null, 0, null)], 100), Ct);
        var turn = (await Stores.Checkpoints.ClaimTurnAsync([], false, 1, "w", Clock.GetUtcNow().AddMinutes(1), Ct))!;
        var unit = new RawUnit("a0", FetchKind.PullRequests, repository.Id, repository.NodeId, null, null, true);
        var outcome = new PageOutcome([new CheckpointAdvance(turn.Checkpoints[0].Id, null, true, 1, 0, false, null)], [], [unit], new Dictionary<string, long>(), []);
        // Multi-byte text, a character outside the BMP and the \u0000 escape jsonb would refuse: the answer as GitHub sent it.
        var answer = """{"data":{"a0":{"pullRequests":{"nodes":[{"title":"naïve – ünïcode 🚀 שלום\u0000 end"}]}}}}"""u8.ToArray();

        var page = await Stores.Checkpoints.CommitPageAsync(new ExtractedPage(run.Id, run.TenantId, run.IntegrationId, "pull_requests", "h", "{}", answer, outcome, 1, 1)
            { LeaseOwner = "w" }, Ct);
        var input = (await Stores.WorkItems.LoadTransformAsync(page.TransformItemsToQueue.Single(), Ct))!;

        Assert.Equal(answer, input.Payload);
        Assert.Equal([unit], input.Units);
    }
}

public sealed class SqliteCheckpointStoreContract : CheckpointStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresCheckpointStoreContract : CheckpointStoreContract
{
    protected override bool Postgres => true;
}
