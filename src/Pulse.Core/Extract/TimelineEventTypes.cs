namespace Pulse.Core.Extract;

/// <summary>The timeline item types Pulse extracts (issue 13): the lifecycle events its PR metrics read.</summary>
public static class TimelineEventTypes
{
    public const string ReadyForReview = "READY_FOR_REVIEW_EVENT";
    public const string ConvertToDraft = "CONVERT_TO_DRAFT_EVENT";
    public const string ReviewRequested = "REVIEW_REQUESTED_EVENT";
    public const string ReviewRequestRemoved = "REVIEW_REQUEST_REMOVED_EVENT";
    public const string HeadRefForcePushed = "HEAD_REF_FORCE_PUSHED_EVENT";
    public const string Merged = "MERGED_EVENT";
    public const string Closed = "CLOSED_EVENT";
    public const string Reopened = "REOPENED_EVENT";

    public static readonly IReadOnlyList<string> All =
        [ReadyForReview, ConvertToDraft, ReviewRequested, ReviewRequestRemoved, HeadRefForcePushed, Merged, Closed, Reopened];

    private static readonly Dictionary<string, string> ByTypeName = new(StringComparer.Ordinal)
    {
        ["ReadyForReviewEvent"] = ReadyForReview,
        ["ConvertToDraftEvent"] = ConvertToDraft,
        ["ReviewRequestedEvent"] = ReviewRequested,
        ["ReviewRequestRemovedEvent"] = ReviewRequestRemoved,
        ["HeadRefForcePushedEvent"] = HeadRefForcePushed,
        ["MergedEvent"] = Merged,
        ["ClosedEvent"] = Closed,
        ["ReopenedEvent"] = Reopened,
    };

    /// <summary>The item type (stored as the event's type) of a GraphQL type name, or null for a type Pulse does not ask for.</summary>
    public static string? OfTypeName(string typeName) => ByTypeName.GetValueOrDefault(typeName);
}
