using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Transform;

/// <summary>How a store groups a page's transform items (one per step it feeds) for one transform.</summary>
public static class TransformItems
{
    /// <summary>Every step's name: a page's items are looked up by step, so the (run, step, stage, raw) index finds them.</summary>
    public static readonly IReadOnlyList<string> StepNames = GitHubPrJob.Steps.Select(s => s.Name).ToList();

    /// <summary>A page's pending items in step order, or null when none is left (a sibling's transform took them meanwhile).</summary>
    public static IReadOnlyList<TransformItem>? InStepOrder(IEnumerable<(long Id, string Step)> pending)
    {
        var items = pending.OrderBy(s => GitHubPrJob.Step(s.Step).Order).Select(s => new TransformItem(s.Id, s.Step)).ToList();
        return items.Count == 0 ? null : items;
    }
}
