using Pulse.Core.Storage;
using Pulse.Core.Webhooks;

namespace Pulse.Core.Tests.Webhooks;

/// <summary>Refreshes side by side, never two holding one PR: a PR's refreshes run one after another (issue 15).</summary>
public sealed class RefreshClaimsTests
{
    private static (OpenWebhookDelivery, IReadOnlyList<RefreshTarget>) Delivery(long id, params string[] prs) =>
        (new OpenWebhookDelivery(id, 1, 10, $"d{id}", "pull_request", [], 0), prs.Select(p => new RefreshTarget(1, "repo", p)).ToList());

    [Fact]
    public void TryTake_PullRequestHeldByARunningRefresh_WaitsUntilThatRefreshIsReleased()
    {
        var claims = new RefreshClaims(4);
        var first = claims.TryTake(10, [Delivery(1, "PR_A")])!;

        // A newer change of PR_A while its refresh runs: not handed to a second refresh, which could write before the first.
        Assert.Null(claims.TryTake(10, [Delivery(2, "PR_A")]));
        Assert.Null(claims.TryTake(10, [Delivery(3, "PR_B", "PR_A")]));

        claims.Release(first);
        var next = claims.TryTake(10, [Delivery(2, "PR_A"), Delivery(3, "PR_B", "PR_A")])!;
        Assert.Equal([2L, 3L], next.Deliveries.Select(d => d.Id));
        Assert.Equal(["PR_A", "PR_B"], next.Targets.Select(t => t.PullRequestNodeId));
    }

    [Fact]
    public void TryTake_PullRequestNamedTwice_ItsCommitsChangedIfEitherDeliverySaysSo()
    {
        var claims = new RefreshClaims(4);
        var (comment, onA) = Delivery(1, "PR_A", "PR_B");
        var (push, pushedA) = Delivery(2, "PR_A");

        var batch = claims.TryTake(10, [(comment, onA), (push, [.. pushedA.Select(t => t with { CommitsChanged = true })])])!;

        Assert.Equal(["PR_A:True", "PR_B:False"], batch.Targets.Select(t => $"{t.PullRequestNodeId}:{t.CommitsChanged}"));
    }

    [Fact]
    public void TryTake_OtherPullRequests_RunBesideUpToTheBound()
    {
        var claims = new RefreshClaims(2);
        var a = claims.TryTake(10, [Delivery(1, "PR_A")]);
        var b = claims.TryTake(10, [Delivery(2, "PR_A"), Delivery(3, "PR_B")])!;

        Assert.NotNull(a);
        Assert.Equal([3L], b.Deliveries.Select(d => d.Id));   // the delivery naming PR_A waits, PR_B goes beside
        Assert.False(claims.HasRoom(10));
        Assert.Null(claims.TryTake(10, [Delivery(4, "PR_C")]));
        Assert.NotNull(claims.TryTake(11, [Delivery(5, "PR_A")]));   // another integration's PR_A is another row
        Assert.True(claims.IsActing(3));

        claims.Release(b);
        Assert.False(claims.IsActing(3));
        Assert.True(claims.HasRoom(10));
    }

    [Fact]
    public void TryTake_DeliveryInARunningRefresh_NotTakenAgain()
    {
        var claims = new RefreshClaims(4);
        claims.TryTake(10, [Delivery(1, "PR_A")]);

        Assert.Null(claims.TryTake(10, [Delivery(1, "PR_A")]));
    }
}
