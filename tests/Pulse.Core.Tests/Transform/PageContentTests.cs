using System.Text;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

public sealed class PageContentTests
{
    // A follow-up answer feeding two steps, with an alias whose error leaves it out of both.
    private static readonly byte[] FollowUp = Encoding.UTF8.GetBytes("""
        {"data":{
          "c1":{"commits":{"nodes":[{"commit":{"oid":"a1","message":"fix"}},{"commit":{"oid":"a2","message":"test"}}]}},
          "r1":{"reviews":{"nodes":[{"id":"RV_1","state":"APPROVED","body":"ok","createdAt":"2024-01-02T00:00:00Z"}]}},
          "c2":{"commits":{"nodes":[{"commit":{"oid":"b1","message":"bad"}}]}}
        }}
        """);

    private static readonly RawUnit[] Units =
    [
        new("c1", FetchKind.Commits, 1, "PR_1", "PR_1", null, Ok: true),
        new("r1", FetchKind.Reviews, 1, "PR_1", "PR_1", null, Ok: true),
        new("c2", FetchKind.Commits, 1, "PR_2", "PR_2", null, Ok: false),
    ];

    [Fact]
    public void Read_SeveralSteps_GivesEachStepWhatItsOwnReadGives()
    {
        var together = PageContent.Read(FollowUp, Units, [GitHubPrJob.Commits, GitHubPrJob.Reviews]);

        var commits = PageContent.Read(FollowUp, Units, GitHubPrJob.Commits);
        var reviews = PageContent.Read(FollowUp, Units, GitHubPrJob.Reviews);
        Assert.Equal(["a1", "a2"], together[GitHubPrJob.Commits].Commits.Select(c => c.Oid));
        Assert.Equal(commits.Commits, together[GitHubPrJob.Commits].Commits);
        Assert.Empty(together[GitHubPrJob.Commits].Reviews);
        Assert.Equal("RV_1", Assert.Single(together[GitHubPrJob.Reviews].Reviews).NodeId);
        Assert.Equal(reviews.Reviews, together[GitHubPrJob.Reviews].Reviews);
        Assert.Empty(together[GitHubPrJob.Reviews].Commits);
    }
}
