using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Tests.Jobs;

public sealed class RunStateMachineTests
{
    private static readonly string Prs = GitHubPrJob.PullRequests.Name, Commits = GitHubPrJob.Commits.Name, Comments = GitHubPrJob.Comments.Name;

    /// <summary>A running run whose every stage is in <paramref name="state"/> with no work, changed by <paramref name="set"/>.</summary>
    private static RunSnapshot Run(string state = StageState.Idle, Action<Dictionary<StageKey, StageWork>>? set = null, string status = RunStatus.Running)
    {
        var stages = GitHubPrJob.Steps.SelectMany(s => Enum.GetValues<Stage>().Select(g => new StageKey(s.Name, g)))
            .ToDictionary(k => k, _ => new StageWork(state, false, false, false));
        set?.Invoke(stages);
        return new RunSnapshot(new RunRecord(1, 1, 1, 1, status, DateTimeOffset.UnixEpoch, null, null, false, null), stages);
    }

    [Fact]
    public void Decide_PullRequestListingsStillOpen_EndsNoExtract()
    {
        var decision = RunStateMachine.Decide(Run(set: s => s[new(Prs, Stage.Extract)] = new StageWork(StageState.Running, Open: true, false, false)));

        Assert.DoesNotContain(decision.Ends, e => e.Stage == Stage.Extract);
        Assert.False(decision.Complete);
    }

    [Fact]
    public void Decide_NothingOpenAnywhere_EndsEveryStageInOneDecisionAndCompletesTheRun()
    {
        var decision = RunStateMachine.Decide(Run(StageState.Running));

        Assert.Equal(12, decision.Ends.Count);
        Assert.All(decision.Ends, e => Assert.False(e.Failed));
        Assert.True(decision.Complete);
        Assert.False(decision.Failed);
        // The last step's transform ends after every other transform: its sweep reads their tables.
        var order = decision.Ends.Where(e => e.Stage == Stage.Transform).Select(e => e.Step).ToList();
        Assert.Equal(Comments, order[^1]);
    }

    [Fact]
    public void Decide_WaitingCommitsWhilePullRequestTransformRuns_ReleasesNothing()
    {
        var decision = RunStateMachine.Decide(Run(StageState.Running, s =>
        {
            s[new(Prs, Stage.Transform)] = new StageWork(StageState.Running, Open: true, false, false);
            s[new(Commits, Stage.Transform)] = new StageWork(StageState.Running, Open: true, Waiting: true, false);
        }));

        Assert.Empty(decision.Releases);
        Assert.DoesNotContain(decision.Ends, e => e.Step == Commits && e.Stage == Stage.Transform);
    }

    [Fact]
    public void Decide_PullRequestTransformEndsNow_ReleasesTheWaitingCommitsInTheSameDecision()
    {
        var decision = RunStateMachine.Decide(Run(StageState.Running, s =>
        {
            s[new(Prs, Stage.Extract)] = new StageWork(StageState.Finished, false, false, false);
            s[new(Commits, Stage.Transform)] = new StageWork(StageState.Running, Open: true, Waiting: true, false);
        }));

        Assert.Contains(new StageEnd(Prs, Stage.Transform, false), decision.Ends);
        Assert.Equal([Commits], decision.Releases);
        Assert.DoesNotContain(decision.Ends, e => e.Step == Commits && e.Stage == Stage.Transform);
    }

    [Fact]
    public void Decide_OnlyFailedWorkLeft_EndsItsStagesFailedAndTheRunFailed()
    {
        var decision = RunStateMachine.Decide(Run(StageState.Running, s => s[new(Comments, Stage.Transform)] = new StageWork(StageState.Running, false, false, Failed: true)));

        Assert.Contains(new StageEnd(Comments, Stage.Transform, true), decision.Ends);
        Assert.True(decision.Complete);
        Assert.True(decision.Failed);
    }

    [Fact]
    public void Decide_RunNotRunning_DecidesNothing()
    {
        var decision = RunStateMachine.Decide(Run(StageState.Running, status: RunStatus.Failed));

        Assert.Empty(decision.Ends);
        Assert.False(decision.Complete);
    }

    [Fact]
    public void FailureMessage_ItemFailure_NamesStageStepAndTheItemsError() =>
        Assert.Equal("transform of github_comments failed: gave up after 5 attempts: boom",
            RunStateMachine.FailureMessage(new RunFailure(Comments, Stage.Transform, "gave up after 5 attempts: boom")));

    [Fact]
    public void CanReopen_FailedRunWithFailedWork_True_AndWithNothingLeft_False()
    {
        Assert.True(RunStateMachine.CanReopen(Run(StageState.Failed, s => s[new(Commits, Stage.Extract)] = new StageWork(StageState.Failed, false, false, true),
            RunStatus.Failed)));
        Assert.False(RunStateMachine.CanReopen(Run(StageState.Finished, status: RunStatus.Failed)));
    }

    /// <summary>A stored answer's unit of <paramref name="kind"/> for the PR <paramref name="pr"/>.</summary>
    private static RawUnit Unit(FetchKind kind, string pr, bool ok = true) => new("a", kind, 1, pr, pr, null, ok);

    [Fact]
    public void TransformStartsWaiting_FollowUpPage_OnlyStepsWhoseRowsPointAtAnotherStepsRows()
    {
        RawUnit[] followUps = [Unit(FetchKind.Commits, "PR_1"), Unit(FetchKind.Reviews, "PR_1"), Unit(FetchKind.IssueComments, "PR_2")];

        Assert.Equal([false, true, true, true], GitHubPrJob.Steps.Select(s => RunStateMachine.TransformStartsWaiting(s, followUps)));
    }

    [Fact]
    public void TransformStartsWaiting_PullRequestsAskedByIdWithTheirPages_NoStepWaits()
    {
        RawUnit[] refresh =
        [
            Unit(FetchKind.PullRequest, "PR_1"), Unit(FetchKind.Commits, "PR_1"), Unit(FetchKind.Reviews, "PR_1"),
            Unit(FetchKind.PullRequest, "PR_2"), Unit(FetchKind.IssueComments, "PR_2"), Unit(FetchKind.ThreadComments, "PR_2"),
        ];

        Assert.All(GitHubPrJob.Steps, s => Assert.False(RunStateMachine.TransformStartsWaiting(s, refresh)));
    }

    [Fact]
    public void TransformStartsWaiting_APageWithAChildOfAPullRequestItDoesNotCarry_ThatStepWaits()
    {
        // PR_2's commits came from an earlier page's cursor; PR_3 answered with an error, so its row is not in this page.
        RawUnit[] mixed =
        [
            Unit(FetchKind.PullRequest, "PR_1"), Unit(FetchKind.Reviews, "PR_1"), Unit(FetchKind.Commits, "PR_2"),
            Unit(FetchKind.PullRequest, "PR_3", ok: false), Unit(FetchKind.ThreadComments, "PR_3"),
        ];

        Assert.Equal([false, true, false, true], GitHubPrJob.Steps.Select(s => RunStateMachine.TransformStartsWaiting(s, mixed)));
    }
}
