namespace Pulse.Core.Extract;

/// <summary>
/// How much work one query may ask of GitHub, per kind of connection. A unit's work is its items weighed by what Pulse
/// selects of them (a commit with its diff stats and two account lookups weighs four comments) plus its page's own load;
/// each kind's budget says how much of that fills one query. GitHub stops a query that works too long
/// (RESOURCE_LIMITS_EXCEEDED, or a timeout that costs extra points), and what a query touches differs by kind, so each
/// kind learns its own budget: it starts conservative, grows after queries it filled that went through, and shrinks
/// after one that hit a limit, in proportion to the kind's share of that query. A limit also leaves a ceiling just under what GitHub managed, which growth does not
/// pass and which itself creeps up only slowly, so a budget settles under GitHub's capacity instead of probing it
/// query after query. A mixed query fits when the shares of its units add up to at most one.
/// Shared by the extraction workers of one process.
/// </summary>
public sealed class WorkBudgets(ExtractOptions options)
{
    /// <summary>A page costs GitHub about as much as two comments, whatever it holds (a load per parent).</summary>
    private const double PageWork = 2;

    /// <summary>The weight of the heaviest items (commits, listed PRs): the options count budgets in those.</summary>
    private const double HeaviestWeight = 4;

    /// <summary>A query must have used at least this share of its budget for its success to say the budget could be larger.</summary>
    private const double EvidenceOfCapacity = 0.8;

    /// <summary>Growth stays this far under the last limit GitHub showed.</summary>
    private const double UnderCeiling = 0.92;

    /// <summary>How much a ceiling rises after a full query that went through (GitHub may have become faster).</summary>
    private const double CeilingCreep = 0.02;

    private readonly Lock _gate = new();
    private readonly Dictionary<FetchKind, (double Work, double? Ceiling)> _kinds = [];

    /// <summary>
    /// What one item of a kind weighs, as Pulse selects it (Queries/*.graphql): a commit reads a git object, its diff stats and
    /// two accounts; a listed PR its counts and accounts; a review its commit; a comment, a thread and its comments are rows.
    /// </summary>
    public static double Weight(FetchKind kind) => kind switch
    {
        FetchKind.Commits or FetchKind.CommitsBefore or FetchKind.PullRequests or FetchKind.PullRequest => 4,
        FetchKind.Reviews => 2,
        FetchKind.ThreadComments => 1.5,
        _ => 1,
    };

    /// <summary>The items of <paramref name="kind"/> (without their pages) one query may carry now.</summary>
    public double ItemsPerQuery(FetchKind kind) => Work(kind) / Weight(kind);

    /// <summary>The work a page of <paramref name="items"/> items of <paramref name="kind"/> asks of GitHub.</summary>
    public static double WorkOf(FetchKind kind, long items) => items * Weight(kind) + PageWork;

    /// <summary>The share of one query a page of <paramref name="items"/> items of <paramref name="kind"/> takes.</summary>
    public double Load(FetchKind kind, long items) => WorkOf(kind, items) / Work(kind);

    /// <summary>The listing page width (PRs) whose load fits one query alone.</summary>
    public int ListingWidth(int widest) => (int)Math.Clamp((Work(FetchKind.PullRequests) - PageWork) / Weight(FetchKind.PullRequests), 1, widest);

    private double Work(FetchKind kind)
    {
        lock (_gate) return State(kind).Work;
    }

    /// <summary>The query went through: each kind that filled a good part of it may grow, up to under its ceiling.</summary>
    public void Succeeded(IReadOnlyList<FetchUnit> units)
    {
        if (units.Sum(u => u.Load) < EvidenceOfCapacity) return;
        Update(units, (state, share) =>
        {
            var ceiling = state.Ceiling * (1 + CeilingCreep * share);
            var grown = state.Work * (1 + options.BudgetGrowth * share);
            return (ceiling is { } c ? Math.Min(grown, Math.Max(state.Work, c * UnderCeiling)) : grown, ceiling);
        });
    }

    /// <summary>GitHub answered only the units whose load adds up to <paramref name="answeredLoad"/> (RESOURCE_LIMITS_EXCEEDED).</summary>
    public void Limited(IReadOnlyList<FetchUnit> units, double answeredLoad)
    {
        // What GitHub managed is the capacity: a kind that made up most of the query learns it as its ceiling.
        var managed = Math.Clamp(answeredLoad / Math.Max(units.Sum(u => u.Load), 1e-9), 0.25, 1);
        Update(units, (state, share) => Lowered(state, share, managed));
    }

    /// <summary>The query timed out: what each kind took part in is halved, by its share.</summary>
    public void TimedOut(IReadOnlyList<FetchUnit> units) => Update(units, (state, share) => Lowered(state, share, 0.5));

    /// <summary>
    /// A kind's budget after a limit, by its share of the query: down to a little under what GitHub managed at full share,
    /// hardly at all at a small one. Only a kind that made up most of the query learns a ceiling: for the others, the
    /// limit says little about their own capacity.
    /// </summary>
    private static (double Work, double? Ceiling) Lowered((double Work, double? Ceiling) state, double share, double managed)
    {
        var work = state.Work * (1 - share * (1 - managed * UnderCeiling));
        var ceiling = share >= 0.5 ? Math.Min(state.Ceiling ?? double.MaxValue, state.Work * (1 - share * (1 - managed))) : state.Ceiling;
        return (work, ceiling);
    }

    /// <summary>A kind's budget in work; the options give it in the heaviest items, so every kind starts at the same work.</summary>
    private (double Work, double? Ceiling) State(FetchKind kind) =>
        _kinds.TryGetValue(kind, out var state) ? state : (options.InitialItemsPerQuery * HeaviestWeight, null);

    /// <summary>Changes each kind of the query by its share of the query's work (by work, not load: a kind whose budget shrank
    /// would otherwise take a larger share of the next limit, and shrink ever faster).</summary>
    private void Update(IReadOnlyList<FetchUnit> units, Func<(double Work, double? Ceiling), double, (double Work, double? Ceiling)> change)
    {
        var total = units.Sum(u => u.Work);
        if (total <= 0) return;
        lock (_gate)
        {
            foreach (var kind in units.GroupBy(u => u.Checkpoint.Kind))
            {
                var (work, ceiling) = change(State(kind.Key), kind.Sum(u => u.Work) / total);
                _kinds[kind.Key] = (Math.Clamp(work, options.MinItemsPerQuery * HeaviestWeight, options.MaxItemsPerQuery * HeaviestWeight), ceiling);
            }
        }
    }
}
