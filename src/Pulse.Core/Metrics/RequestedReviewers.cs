using Pulse.Core.Extract;

namespace Pulse.Core.Metrics;

/// <summary>Who a PR's review is requested of now: each request, minus those removed after it, in the order first asked.</summary>
public static class RequestedReviewers
{
    public static IReadOnlyList<string> Current(IEnumerable<(string Type, string? Reviewer)> eventsInOrder)
    {
        var asked = new List<string>();
        foreach (var (type, reviewer) in eventsInOrder)
        {
            if (reviewer is null) continue;
            if (type == TimelineEventTypes.ReviewRequested && !asked.Contains(reviewer, StringComparer.OrdinalIgnoreCase)) asked.Add(reviewer);
            else if (type == TimelineEventTypes.ReviewRequestRemoved) asked.RemoveAll(r => string.Equals(r, reviewer, StringComparison.OrdinalIgnoreCase));
        }
        return asked;
    }
}
