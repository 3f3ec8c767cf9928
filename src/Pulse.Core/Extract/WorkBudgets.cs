namespace Pulse.Core.Extract;

/// <summary>
/// How much work one query may ask of GitHub, per kind of connection: the items of that kind (commits, reviews, PRs of a
/// listing page...) that fill one query. GitHub stops a query that works too long (RESOURCE_LIMITS_EXCEEDED, or a timeout
/// that costs extra points), and what a query touches differs by kind, so each kind learns its own budget: it starts
/// conservative, grows after queries that used it and went through, and shrinks after one that hit a limit, in proportion
/// to the kind's share of that query. A mixed query fits when the shares of its units add up to at most one.
/// Shared by the extraction workers of one process.
/// </summary>
public sealed class WorkBudgets(ExtractOptions options)
{
    /// <summary>A page costs GitHub about as much as this many of its items, whatever they hold (a load per parent).</summary>
    public const double PageOverheadItems = 1;

    /// <summary>A query must have used at least this share of its budget for its success to say the budget could be larger.</summary>
    private const double EvidenceOfCapacity = 0.5;

    private readonly Lock _gate = new();
    private readonly Dictionary<FetchKind, double> _items = [];

    /// <summary>The items of <paramref name="kind"/> one query may carry now.</summary>
    public double ItemsPerQuery(FetchKind kind)
    {
        lock (_gate) return _items.GetValueOrDefault(kind, options.InitialItemsPerQuery);
    }

    /// <summary>The share of one query a page of <paramref name="items"/> items of <paramref name="kind"/> takes.</summary>
    public double Load(FetchKind kind, long items) => (items + PageOverheadItems) / ItemsPerQuery(kind);

    /// <summary>The query went through: each kind that filled a good part of it may grow.</summary>
    public void Succeeded(IReadOnlyList<FetchUnit> units)
    {
        var total = units.Sum(u => u.Load);
        if (total < EvidenceOfCapacity) return;
        Scale(units, total, share => 1 + options.BudgetGrowth * share);
    }

    /// <summary>GitHub answered only the units whose load adds up to <paramref name="answeredLoad"/> (RESOURCE_LIMITS_EXCEEDED).</summary>
    public void Limited(IReadOnlyList<FetchUnit> units, double answeredLoad)
    {
        var total = units.Sum(u => u.Load);
        // What GitHub managed is the capacity; aim a little under it.
        var factor = Math.Clamp(0.9 * answeredLoad / Math.Max(total, 1e-9), 0.25, 0.95);
        Scale(units, total, share => 1 - share * (1 - factor));
    }

    /// <summary>The query timed out: halve what each kind took part in, by its share.</summary>
    public void TimedOut(IReadOnlyList<FetchUnit> units)
    {
        var total = units.Sum(u => u.Load);
        Scale(units, total, share => 1 - share * 0.5);
    }

    private void Scale(IReadOnlyList<FetchUnit> units, double total, Func<double, double> factorOfShare)
    {
        if (total <= 0) return;
        lock (_gate)
        {
            foreach (var kind in units.GroupBy(u => u.Checkpoint.Kind))
            {
                var share = kind.Sum(u => u.Load) / total;
                var current = _items.GetValueOrDefault(kind.Key, options.InitialItemsPerQuery);
                _items[kind.Key] = Math.Clamp(current * factorOfShare(share), options.MinItemsPerQuery, options.MaxItemsPerQuery);
            }
        }
    }
}
