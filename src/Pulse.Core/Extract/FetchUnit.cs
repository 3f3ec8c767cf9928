namespace Pulse.Core.Extract;

/// <summary>One checkpoint's next page inside a packed query: its alias and its page width.</summary>
public sealed record FetchUnit(string Alias, Checkpoint Checkpoint, int First)
{
    /// <summary>GitHub's request count for this unit: one per connection per possible parent (every unit is one connection).</summary>
    public long Requests => 1;

    /// <summary>Possible nodes (GitHub's node-limit count).</summary>
    public long PossibleNodes => First;

    /// <summary>Items we expect back: the page width, or what is left when the listing's totalCount says fewer.</summary>
    public long ExpectedItems => Math.Min(First, Math.Max(1, Checkpoint.Remaining));

    /// <summary>The share of one query's work budget this unit takes (<see cref="WorkBudgets"/>); set by the planner.</summary>
    public double Load { get; init; }
}
