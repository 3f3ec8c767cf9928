namespace Pulse.Core.Extract;

/// <summary>One checkpoint's next page inside a packed query: its alias and its page width.</summary>
public sealed record FetchUnit(string Alias, Checkpoint Checkpoint, int First)
{
    /// <summary>
    /// GitHub's request count for this unit: one per connection per possible parent (every unit is one connection), except a
    /// PR asked by node id, which asks the first page of each of its connections, and a tail page beside a first page
    /// (<see cref="PullRequestPages"/>).
    /// </summary>
    public long Requests => Checkpoint.Kind is FetchKind.PullRequest or FetchKind.ThreadComments ? PullRequestPages.Requests(Checkpoint, First) : 1;

    /// <summary>Possible nodes (GitHub's node-limit count): the page width, once per connection paged.</summary>
    public long PossibleNodes => Requests * First;

    /// <summary>
    /// Items we expect back: what is left when a totalCount said so (every connection the listing revealed), else the page
    /// width (a repository's first listing page, whose size nothing has told yet). A PR asked by node id is one item: what its
    /// pages hold nothing has told yet, and a refresh names PRs that changed, mostly by little; a heavy one the budgets learn.
    /// </summary>
    public long ExpectedItems => Checkpoint.Kind == FetchKind.PullRequest ? 1
        : Checkpoint.Remaining > 0 ? Math.Min(First, Checkpoint.Remaining) : First;

    /// <summary>The work this unit asks of GitHub, items weighed by kind (<see cref="WorkBudgets"/>); set by the planner.</summary>
    public double Work { get; init; }

    /// <summary>The share of one query's budget this unit takes: its work over its kind's budget; set by the planner.</summary>
    public double Load { get; init; }
}
