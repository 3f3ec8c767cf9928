using Pulse.Core.Extract;

namespace Pulse.Core.Tests.Extract;

public sealed class WorkBudgetsTests
{
    private static readonly ExtractOptions Options = new() { InitialItemsPerQuery = 400, MinItemsPerQuery = 10, MaxItemsPerQuery = 1_000 };

    private static FetchUnit Unit(FetchKind kind, double load, double work) =>
        new("u0", new Checkpoint(1, 1, 1, 1, kind, "PR_1", "PR_1", null, 10, 0, 100, null, "acme", "r"), 100) { Load = load, Work = work };

    [Fact]
    public void ItemsPerQuery_AtStart_LighterKindsGetAsManyMoreAsTheyWeighLess()
    {
        var budgets = new WorkBudgets(Options);

        Assert.Equal(400, budgets.ItemsPerQuery(FetchKind.Commits));
        Assert.Equal(800, budgets.ItemsPerQuery(FetchKind.Reviews));
        Assert.Equal(1_600, budgets.ItemsPerQuery(FetchKind.IssueComments));
        Assert.Equal((10 * 4 + 2) / 1_600.0, budgets.Load(FetchKind.Commits, 10), 9);
    }

    [Fact]
    public void Succeeded_FullQuery_GrowsEachKindByItsShareOfTheWork()
    {
        var budgets = new WorkBudgets(Options);

        budgets.Succeeded([Unit(FetchKind.Commits, 0.6, work: 60), Unit(FetchKind.Reviews, 0.2, work: 20)]);

        Assert.Equal(400 * (1 + 0.25 * 0.75), budgets.ItemsPerQuery(FetchKind.Commits), 6);
        Assert.Equal(800 * (1 + 0.25 * 0.25), budgets.ItemsPerQuery(FetchKind.Reviews), 6);
        Assert.Equal(1_600, budgets.ItemsPerQuery(FetchKind.IssueComments));
    }

    [Fact]
    public void Succeeded_QueryFarFromItsBudget_SaysNothingAboutCapacity()
    {
        var budgets = new WorkBudgets(Options);

        budgets.Succeeded([Unit(FetchKind.Commits, 0.3, work: 30)]);

        Assert.Equal(400, budgets.ItemsPerQuery(FetchKind.Commits));
    }

    [Fact]
    public void Limited_ShrinksUnderWhatGitHubAnsweredAndGrowthStaysUnderThatCeiling()
    {
        var budgets = new WorkBudgets(Options);

        budgets.Limited([Unit(FetchKind.Commits, 0.5, work: 50), Unit(FetchKind.Commits, 0.5, work: 50)], answeredLoad: 0.5);
        var after = budgets.ItemsPerQuery(FetchKind.Commits);
        for (var i = 0; i < 5; i++) budgets.Succeeded([Unit(FetchKind.Commits, 1, work: 100)]);

        Assert.Equal(400 * 0.5 * 0.92, after, 6);
        // GitHub managed 200 commits' worth: growth stays under that, creeping up 2% per full query.
        Assert.InRange(budgets.ItemsPerQuery(FetchKind.Commits), after, 200 * 0.92 * Math.Pow(1.02, 5) + 1e-6);
    }

    [Fact]
    public void Limited_SmallShare_HardlyChangesThatKind()
    {
        var budgets = new WorkBudgets(Options);

        budgets.Limited([Unit(FetchKind.Commits, 0.9, work: 95), Unit(FetchKind.IssueComments, 0.1, work: 5)], answeredLoad: 0.5);

        Assert.Equal(1_600 * (1 - 0.05 * (1 - 0.5 * 0.92)), budgets.ItemsPerQuery(FetchKind.IssueComments), 6);
    }

    [Fact]
    public void TimedOut_HalvesTheKindsThatTookPart_ButNotBelowTheMinimum()
    {
        var budgets = new WorkBudgets(Options);

        for (var i = 0; i < 10; i++) budgets.TimedOut([Unit(FetchKind.PullRequests, 1, work: 400)]);

        Assert.Equal(10, budgets.ItemsPerQuery(FetchKind.PullRequests));
        Assert.Equal(9, budgets.ListingWidth(100));   // 10 PRs' work, less the page's own
        Assert.Equal(400, budgets.ItemsPerQuery(FetchKind.Commits));
    }

    [Fact]
    public void Succeeded_Repeatedly_StopsAtTheMaximum()
    {
        var budgets = new WorkBudgets(Options);

        for (var i = 0; i < 50; i++) budgets.Succeeded([Unit(FetchKind.Commits, 1, work: 100)]);

        Assert.Equal(1_000, budgets.ItemsPerQuery(FetchKind.Commits));
    }
}
