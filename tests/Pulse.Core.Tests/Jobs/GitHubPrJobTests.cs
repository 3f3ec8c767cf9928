using Pulse.Core.Jobs;

namespace Pulse.Core.Tests.Jobs;

/// <summary>Issue #7: a step's transform waits only for what its rows need, and the last step still ends last.</summary>
public sealed class GitHubPrJobTests
{
    [Fact]
    public void TransformStartsAfter_ChildSteps_WaitForThePullRequestsOnly()
    {
        Assert.Empty(GitHubPrJob.TransformStartsAfter(GitHubPrJob.PullRequests));
        foreach (var step in new[] { GitHubPrJob.Commits, GitHubPrJob.Reviews, GitHubPrJob.Comments })
            Assert.Equal([GitHubPrJob.PullRequests], GitHubPrJob.TransformStartsAfter(step));
    }

    [Fact]
    public void TransformEndsAfter_CommentsStep_EndsAfterEveryOtherStep()
    {
        Assert.Equal([GitHubPrJob.PullRequests, GitHubPrJob.Commits, GitHubPrJob.Reviews], GitHubPrJob.TransformEndsAfter(GitHubPrJob.Comments));
        Assert.Equal([GitHubPrJob.PullRequests], GitHubPrJob.TransformEndsAfter(GitHubPrJob.Reviews));
        Assert.Empty(GitHubPrJob.TransformEndsAfter(GitHubPrJob.PullRequests));
    }

    [Fact]
    public void TransformDependencies_OnlyPointAtEarlierSteps()
    {
        // The ledger visits the steps in order and relies on every step a step waits for being visited before it.
        foreach (var step in GitHubPrJob.Steps)
        {
            Assert.All(GitHubPrJob.TransformStartsAfter(step), s => Assert.True(s.Order < step.Order));
            Assert.All(GitHubPrJob.TransformEndsAfter(step), s => Assert.True(s.Order < step.Order));
        }
    }
}
