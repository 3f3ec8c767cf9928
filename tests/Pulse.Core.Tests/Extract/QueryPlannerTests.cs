using Pulse.Core.Extract;

namespace Pulse.Core.Tests.Extract;

public sealed class QueryPlannerTests
{
    private static Checkpoint Cp(long id, FetchKind kind, long remaining = 10, int pageSize = 100) =>
        new(id, 1, 1, 1, kind, kind is FetchKind.PullRequests or FetchKind.RepositoryHead ? $"R_{id}" : $"PR_{id}", $"PR_{id}", null, remaining, 0, pageSize, null, "acme", $"repo{id}");

    private static (QueryPlanner Planner, WorkBudgets Budgets) With(long itemsPerQuery)
    {
        var options = new ExtractOptions { InitialItemsPerQuery = itemsPerQuery };
        return (new QueryPlanner(options), new WorkBudgets(options));
    }

    [Fact]
    public void Plan_ManyFollowUps_PacksThemUnderOnePoint()
    {
        var (planner, budgets) = With(10_000);
        var candidates = Enumerable.Range(1, 500).Select(i => Cp(i, FetchKind.Reviews, remaining: 2)).ToList();

        var plan = planner.Plan(candidates, budgets)!;

        Assert.Equal(149, plan.Units.Count);
        Assert.Equal(149, plan.Requests);
        Assert.Equal(1, plan.Points);
    }

    [Fact]
    public void Plan_ReviewThreads_AsksForExactlyTheThreadsThereAreAndOneRequest()
    {
        var (planner, budgets) = With(10_000);

        var plan = planner.Plan([Cp(1, FetchKind.ReviewThreads, remaining: 3)], budgets)!;

        Assert.Equal(3, plan.Units[0].First);
        Assert.Equal(1, plan.Requests);
        Assert.Contains("reviewThreads(first: 3", plan.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("comments(first", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_WorkBudget_KeepsLargePagesOutButAlwaysSendsOne()
    {
        var big = Enumerable.Range(1, 10).Select(i => Cp(i, FetchKind.Commits, remaining: 300)).ToList();

        var (planner, budgets) = With(250);
        var plan = planner.Plan(big, budgets)!;

        // Each unit asks 100 commits (plus its page): 101/250 of a query; two fit.
        Assert.Equal(2, plan.Units.Count);
        var (small, smallBudgets) = With(10);
        Assert.Single(small.Plan(big, smallBudgets)!.Units);
    }

    [Fact]
    public void Plan_UnitsExpectWhatTotalCountSays_SmallConnectionsPackDensely()
    {
        var (planner, budgets) = With(300);
        var candidates = Enumerable.Range(1, 200).Select(i => Cp(i, FetchKind.Commits, remaining: 2)).ToList();

        var plan = planner.Plan(candidates, budgets)!;

        // A PR with 2 commits is 2 commits of work and its page (2 × 4 + 2), whatever its page width: 1,200 / 10 fit.
        Assert.Equal(120, plan.Units.Count);
        Assert.Equal(1.0, plan.Units.Sum(u => u.Load), 6);
    }

    [Fact]
    public void Plan_MixedKinds_SharesAddUp()
    {
        var options = new ExtractOptions { InitialItemsPerQuery = 100 };
        var budgets = new WorkBudgets(options);
        budgets.Succeeded([new FetchUnit("u0", Cp(1, FetchKind.IssueComments), 100) { Load = 1, Work = 400 }]);   // comments' budget grows to 500

        var plan = new QueryPlanner(options).Plan(
            [Cp(1, FetchKind.Commits, remaining: 49), Cp(2, FetchKind.IssueComments, remaining: 248), Cp(3, FetchKind.Commits, remaining: 60)], budgets)!;

        // 49 commits (49 × 4 + 2 of 400) and 100 of the comments (100 + 2 of 500) add up; 60 more commits (242 of 400) do not fit.
        Assert.Equal(["u0", "u1"], plan.Units.Select(u => u.Alias));
        Assert.Equal(198.0 / 400 + 102.0 / 500, plan.Units.Sum(u => u.Load), 6);
    }

    [Fact]
    public void Plan_ListingPage_AsWideAsItsBudgetAllows()
    {
        var (planner, budgets) = With(31);

        var plan = planner.Plan([Cp(1, FetchKind.PullRequests, remaining: 500)], budgets)!;

        // 31 PRs' work (124) less the page's own (2): 30 PRs.
        Assert.Contains("pullRequests(first: 30,", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ShrunkPageSize_NarrowsTheConnection()
    {
        var (planner, budgets) = With(10_000);

        var plan = planner.Plan([Cp(1, FetchKind.Commits, remaining: 300, pageSize: 25)], budgets)!;

        Assert.Contains("commits(first: 25", plan.Text, StringComparison.Ordinal);
    }
}
