namespace Pulse.Core.Extract;

/// <summary>
/// Packs pending checkpoints into one query: as many as fit under one point (149 requests), the
/// node limit and the adaptive load limit. Everything is predicted with GitHub's cost rule
/// before sending, so the planner knows each query's price.
/// </summary>
public sealed class QueryPlanner(ExtractOptions options)
{
    /// <summary>Chooses a prefix of <paramref name="candidates"/>; the rest stay for the next query.</summary>
    public PlannedQuery? Plan(IReadOnlyList<Checkpoint> candidates, long maxItems)
    {
        var units = new List<FetchUnit>();
        long requests = 0, nodes = 0, items = 0; // the rateLimit field itself is free
        foreach (var cp in candidates)
        {
            var unit = new FetchUnit($"u{units.Count}", cp, FirstFor(cp));
            var fits = requests + unit.Requests <= options.MaxRequestsPerQuery
                && nodes + unit.PossibleNodes <= CostRule.MaxPossibleNodes
                && items + unit.ExpectedItems <= maxItems;
            if (!fits)
            {
                if (units.Count > 0) continue;
                // One unit always goes, alone: it is as small as its page size makes it.
            }
            units.Add(unit);
            requests += unit.Requests;
            nodes += unit.PossibleNodes;
            items += unit.ExpectedItems;
        }
        return units.Count == 0 ? null : QueryBuilder.Build(units);
    }

    private int FirstFor(Checkpoint cp)
    {
        var width = Math.Clamp(cp.PageSize, 1, 100);
        return cp.Kind switch
        {
            FetchKind.RepositoryHead => 1,
            FetchKind.PullRequests => Math.Min(width, options.PullRequestPageSize),
            // Each possible thread costs a request for its comments: ask for exactly the threads there are.
            FetchKind.ReviewThreads => (int)Math.Clamp(cp.Remaining, 1, width),
            _ => width,
        };
    }
}
