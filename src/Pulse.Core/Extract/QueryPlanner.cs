namespace Pulse.Core.Extract;

/// <summary>
/// Packs pending checkpoints into one query: as many as fit under one point (149 requests), the node limit and the
/// work budget, whose share per unit comes from the items the listing's totalCount says it will return. Everything is
/// predicted before sending, so the planner knows each query's price and weight.
/// </summary>
public sealed class QueryPlanner(ExtractOptions options)
{
    /// <summary>Chooses some of <paramref name="candidates"/>, in order; the rest stay for the next query.</summary>
    public PlannedQuery? Plan(IReadOnlyList<Checkpoint> candidates, WorkBudgets budgets)
    {
        var units = new List<FetchUnit>();
        long requests = 0, nodes = 0; // the rateLimit field itself is free
        double load = 0;
        foreach (var cp in candidates)
        {
            var first = FirstFor(cp, budgets);
            var unit = new FetchUnit($"u{units.Count}", cp, first);
            unit = unit with { Work = WorkBudgets.WorkOf(cp.Kind, unit.ExpectedItems), Load = budgets.Load(cp.Kind, unit.ExpectedItems) };
            var fits = requests + unit.Requests <= options.MaxRequestsPerQuery
                && nodes + unit.PossibleNodes <= CostRule.MaxPossibleNodes
                && load + unit.Load <= 1 + 1e-9;   // shares are sums of fractions: exact fits must not fail on rounding
            // One unit always goes, alone: it is as small as its page width makes it.
            if (!fits && units.Count > 0) continue;
            units.Add(unit);
            requests += unit.Requests;
            nodes += unit.PossibleNodes;
            load += unit.Load;
        }
        return units.Count == 0 ? null : QueryBuilder.Build(units);
    }

    private int FirstFor(Checkpoint cp, WorkBudgets budgets)
    {
        var width = Math.Clamp(cp.PageSize, 1, 100);
        return cp.Kind switch
        {
            FetchKind.RepositoryHead => 1,
            // A listing page is as wide as its kind's budget allows: PRs with their totalCounts are its items.
            FetchKind.PullRequests => budgets.ListingWidth(Math.Min(width, options.PullRequestPageSize)),
            // Each possible thread counts as a request's worth of nodes: ask for exactly the threads there are.
            FetchKind.ReviewThreads => (int)Math.Clamp(cp.Remaining, 1, width),
            // The middle between a first page and a tail: just it, and a margin for commits pushed since it was counted.
            FetchKind.CommitsBefore => (int)Math.Clamp(cp.Remaining + PullRequestPages.TailMargin, 1, width),
            _ => width,
        };
    }
}
