using Pulse.Core.Extract;

namespace Pulse.Core.Tests.Extract;

public sealed class WorkBudgetsTests
{
    private static readonly ExtractOptions Options = new() { InitialItemsPerQuery = 400, MinItemsPerQuery = 10, MaxItemsPerQuery = 1_000 };

    private static FetchUnit Unit(FetchKind kind, double load) =>
        new("u0", new Checkpoint(1, 1, 1, 1, kind, "PR_1", "PR_1", null, 10, 0, 100, null, "acme", "r"), 100) { Load = load };

    [Fact]
    public void Succeeded_FullQuery_GrowsEachKindByItsShare()
    {
        var budgets = new WorkBudgets(Options);

        budgets.Succeeded([Unit(FetchKind.Commits, 0.6), Unit(FetchKind.Reviews, 0.2)]);

        Assert.Equal(400 * (1 + 0.25 * 0.75), budgets.ItemsPerQuery(FetchKind.Commits), 6);
        Assert.Equal(400 * (1 + 0.25 * 0.25), budgets.ItemsPerQuery(FetchKind.Reviews), 6);
        Assert.Equal(400, budgets.ItemsPerQuery(FetchKind.IssueComments));
    }

    [Fact]
    public void Succeeded_QueryFarFromItsBudget_SaysNothingAboutCapacity()
    {
        var budgets = new WorkBudgets(Options);

        budgets.Succeeded([Unit(FetchKind.Commits, 0.3)]);

        Assert.Equal(400, budgets.ItemsPerQuery(FetchKind.Commits));
    }

    [Fact]
    public void Limited_ShrinksToUnderWhatGitHubAnswered()
    {
        var budgets = new WorkBudgets(Options);

        budgets.Limited([Unit(FetchKind.Commits, 0.5), Unit(FetchKind.Commits, 0.5)], answeredLoad: 0.5);

        Assert.Equal(400 * 0.45, budgets.ItemsPerQuery(FetchKind.Commits), 6);
    }

    [Fact]
    public void TimedOut_HalvesTheKindsThatTookPart_ButNotBelowTheMinimum()
    {
        var budgets = new WorkBudgets(Options);

        for (var i = 0; i < 10; i++) budgets.TimedOut([Unit(FetchKind.PullRequests, 1)]);

        Assert.Equal(10, budgets.ItemsPerQuery(FetchKind.PullRequests));
        Assert.Equal(400, budgets.ItemsPerQuery(FetchKind.Commits));
    }

    [Fact]
    public void Succeeded_Repeatedly_StopsAtTheMaximum()
    {
        var budgets = new WorkBudgets(Options);

        for (var i = 0; i < 50; i++) budgets.Succeeded([Unit(FetchKind.Commits, 1)]);

        Assert.Equal(1_000, budgets.ItemsPerQuery(FetchKind.Commits));
    }
}
