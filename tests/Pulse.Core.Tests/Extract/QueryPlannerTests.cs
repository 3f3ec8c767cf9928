using Pulse.Core.Extract;

namespace Pulse.Core.Tests.Extract;

public sealed class QueryPlannerTests
{
    private static Checkpoint Cp(long id, FetchKind kind, long remaining = 10, int pageSize = 100) =>
        new(id, 1, 1, 1, kind, kind is FetchKind.PullRequests or FetchKind.RepositoryHead ? $"R_{id}" : $"PR_{id}", $"PR_{id}", null, remaining, 0, pageSize, null, "acme", $"repo{id}");

    [Fact]
    public void Plan_ManyFollowUps_PacksThemUnderOnePoint()
    {
        var planner = new QueryPlanner(new ExtractOptions());
        var candidates = Enumerable.Range(1, 500).Select(i => Cp(i, FetchKind.Reviews, remaining: 2)).ToList();

        var plan = planner.Plan(candidates, maxItems: 10_000)!;

        Assert.Equal(149, plan.Units.Count);
        Assert.Equal(149, plan.Requests);
        Assert.Equal(1, plan.Points);
    }

    [Fact]
    public void Plan_ReviewThreads_AsksForExactlyTheThreadsThereAre()
    {
        var plan = new QueryPlanner(new ExtractOptions()).Plan([Cp(1, FetchKind.ReviewThreads, remaining: 3)], 10_000)!;

        Assert.Equal(3, plan.Units[0].First);
        Assert.Equal(1 + 3, plan.Requests);
        Assert.Contains("reviewThreads(first: 3", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_LoadLimit_KeepsLargePagesOutButAlwaysSendsOne()
    {
        var planner = new QueryPlanner(new ExtractOptions());
        var big = Enumerable.Range(1, 10).Select(i => Cp(i, FetchKind.Commits, remaining: 300)).ToList();

        var plan = planner.Plan(big, maxItems: 250)!;

        Assert.Equal(2, plan.Units.Count);
        var alone = planner.Plan(big, maxItems: 10)!;
        Assert.Single(alone.Units);
    }

    [Fact]
    public void Plan_ShrunkPageSize_NarrowsTheConnection()
    {
        var plan = new QueryPlanner(new ExtractOptions()).Plan([Cp(1, FetchKind.Commits, remaining: 300, pageSize: 25)], 10_000)!;

        Assert.Contains("commits(first: 25", plan.Text, StringComparison.Ordinal);
    }
}
