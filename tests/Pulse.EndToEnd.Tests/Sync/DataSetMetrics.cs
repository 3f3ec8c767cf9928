using System.Globalization;
using System.Text.Json.Nodes;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// Issue 13's PR metrics computed straight from a data set's JSON, written out definition by definition without Pulse's
/// metric code or tables: what <c>pr_metrics</c> must hold. Each PR's metrics are column → canonical text, as
/// <see cref="SyncHarness.RowsAsync"/> reads the table. No integration bot list: bots are Bot accounts and "[bot]" logins.
/// </summary>
internal static class DataSetMetrics
{
    public static Dictionary<string, Dictionary<string, string>> Of(JsonNode dataSet)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        foreach (var repo in dataSet["repositories"]!.AsArray())
            foreach (var pr in repo!["pullRequests"]!.AsArray())
                result[$"{repo["owner"]}/{repo["name"]}#{pr!["number"]}"] = Of(pr.AsObject());
        return result;
    }

    private static Dictionary<string, string> Of(JsonObject pr)
    {
        var created = Time(pr["createdAt"])!.Value;
        var merged = (string?)pr["state"] == "MERGED" ? Time(pr["mergedAt"]) : null;
        var authorLogin = (string?)pr["author"]?["login"];
        var events = (pr["timelineItems"] as JsonArray ?? []).Select(e => (Type: (string)e!["__typename"]!, At: Time(e["createdAt"])!.Value))
            .OrderBy(e => e.At).ToList();
        var draftEvents = events.Where(e => e.Type is "ReadyForReviewEvent" or "ConvertToDraftEvent").ToList();

        bool openedAsDraft;
        if (draftEvents.Count > 0) openedAsDraft = draftEvents[0].Type == "ReadyForReviewEvent";
        else openedAsDraft = (bool)pr["isDraft"]!;

        DateTimeOffset? readyAt;
        if (!openedAsDraft) readyAt = created;
        else if (draftEvents.Any(e => e.Type == "ReadyForReviewEvent")) readyAt = draftEvents.First(e => e.Type == "ReadyForReviewEvent").At;
        else readyAt = null;

        long? draftSeconds = null;
        if (readyAt is not null)
        {
            draftSeconds = 0;
            DateTimeOffset? start = openedAsDraft ? created : null;
            foreach (var e in draftEvents)
            {
                if (e.Type == "ConvertToDraftEvent" && start is null) start = e.At;
                if (e.Type == "ReadyForReviewEvent" && start is not null)
                {
                    draftSeconds += Seconds(start.Value, e.At);
                    start = null;
                }
            }
        }

        var authored = pr["commits"]!.AsArray().Select(c => Time(c!["commit"]!["authoredDate"])).Where(t => t is not null).Select(t => t!.Value).ToList();
        DateTimeOffset? firstCommit = authored.Count > 0 ? authored.Min() : null;

        bool Counts(JsonNode? author)
        {
            if (author is null) return false;                                              // deleted account
            var login = (string)author["login"]!;
            if ((string?)author["__typename"] == "Bot" || login.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase)) return false;
            return !string.Equals(login, authorLogin, StringComparison.OrdinalIgnoreCase);  // not the PR's author
        }
        var reviews = pr["reviews"]!.AsArray().Where(r => r!["submittedAt"] is not null && (string?)r["state"] != "PENDING" && Counts(r["author"])).ToList();
        var reviewComments = pr["reviewThreads"]!.AsArray().SelectMany(t => t!["comments"]!.AsArray()).Where(c => Counts(c!["author"])).ToList();
        var reviewTimes = reviews.Select(r => Time(r!["submittedAt"])!.Value).Concat(reviewComments.Select(c => Time(c!["createdAt"])!.Value)).ToList();
        DateTimeOffset? firstReview = reviewTimes.Count > 0 ? reviewTimes.Min() : null;

        long? Between(DateTimeOffset? from, DateTimeOffset? to) => from is null || to is null ? null : Seconds(from.Value, to.Value);
        long? NotBelowZero(long? s) => s is null ? null : Math.Max(0, s.Value);

        return new Dictionary<string, string>
        {
            ["opened_as_draft"] = openedAsDraft ? "1" : "0",
            ["ready_at"] = SyncHarness.CanonicalTime(readyAt),
            ["draft_seconds"] = Text(draftSeconds),
            ["first_commit_at"] = SyncHarness.CanonicalTime(firstCommit),
            ["first_review_at"] = SyncHarness.CanonicalTime(firstReview),
            ["coding_seconds"] = Text(NotBelowZero(Between(firstCommit, readyAt))),
            ["pickup_seconds"] = Text(NotBelowZero(Between(readyAt, firstReview))),
            ["review_seconds"] = Text(merged is not null && firstReview is not null && firstReview < merged ? Between(firstReview, merged) : null),
            ["cycle_seconds"] = Text(merged is null ? null : Between(firstCommit is not null && firstCommit < created ? firstCommit : created, merged)),
            ["time_to_merge_seconds"] = Text(Between(readyAt, merged)),
            ["review_requests"] = Text(events.Count(e => e.Type == "ReviewRequestedEvent")),
            ["reviewers"] = Text(reviews.Select(r => ((string)r!["author"]!["login"]!).ToLowerInvariant()).Distinct().Count()),
            ["approvals"] = Text(reviews.Count(r => (string?)r!["state"] == "APPROVED")),
            ["changes_requested"] = Text(reviews.Count(r => (string?)r!["state"] == "CHANGES_REQUESTED")),
            ["rework_commits"] = Text(firstReview is null ? null : authored.Count(a => a > firstReview)),
            ["force_pushes"] = Text(events.Count(e => e.Type == "HeadRefForcePushedEvent")),
            ["size"] = Text((long)pr["additions"]! + (long)pr["deletions"]!),
            ["changed_files"] = Text((long)pr["changedFiles"]!),
            ["author_is_bot"] = pr["author"] is { } a && ((string?)a["__typename"] == "Bot" || ((string)a["login"]!).EndsWith("[bot]", StringComparison.OrdinalIgnoreCase)) ? "1" : "0",
        };
    }

    private static long Seconds(DateTimeOffset from, DateTimeOffset to) => (long)Math.Floor((to - from).TotalSeconds);

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static DateTimeOffset? Time(JsonNode? node) => node is null ? null
        : DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
