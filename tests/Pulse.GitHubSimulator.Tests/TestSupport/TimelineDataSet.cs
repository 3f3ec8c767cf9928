namespace Pulse.GitHubSimulator.Tests.TestSupport;

/// <summary>
/// Pull requests with timelines for the timelineItems tests: #1 merged, with every event type and the union members
/// kept in its arrays; #2 a bot's draft without a "timelineItems" key; #3 closed and reopened, with a commit recorded
/// without its committedDate.
/// </summary>
internal static class TimelineDataSet
{
    public const string AllEventTypes =
        "READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT, REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT, HEAD_REF_FORCE_PUSHED_EVENT, MERGED_EVENT, CLOSED_EVENT, REOPENED_EVENT";

    /// <summary>The ids of #1's events, oldest first.</summary>
    public static readonly string[] Pr1Events = ["RFRE_T1", "RRE_T1", "RRE_T2", "RRE_T3", "RRRE_T1", "HRFPE_T1", "CTDE_T1", "RFRE_T2", "ME_T1", "CE_T1"];

    public const string Json = """
    {
      "format": "pulse-github-dataset/1", "generatedAt": "2025-04-01T00:00:00Z",
      "owners": [ { "login": "acme", "__typename": "Organization" } ],
      "repositories": [ { "id": "R_T", "databaseId": 1, "owner": "acme", "name": "widgets", "pullRequests": [
        { "id": "PR_T1", "databaseId": 101, "number": 1, "title": "Merged", "state": "MERGED", "isDraft": false,
          "url": "https://github.com/acme/widgets/pull/1",
          "createdAt": "2025-03-01T10:00:00Z", "updatedAt": "2025-03-05T12:00:00Z", "closedAt": "2025-03-05T12:00:00Z", "mergedAt": "2025-03-05T12:00:00Z",
          "author": { "__typename": "User", "login": "jane" }, "mergedBy": { "__typename": "User", "login": "bob" },
          "baseRefName": "main", "headRefName": "feature/x", "headRefOid": "c2", "mergeCommit": { "oid": "m111" },
          "labels": [ { "id": "LA_T1", "name": "bug", "color": "d73a4a" }, { "id": "LA_T2", "name": "docs", "color": "0075ca" } ],
          "commits": [
            { "id": "PURC_T1", "commit": { "oid": "c1", "committedDate": "2025-03-01T09:00:00Z", "authoredDate": "2025-03-01T09:00:00Z" } },
            { "id": "PURC_T2", "commit": { "oid": "c2", "committedDate": "2025-03-02T09:00:00Z", "authoredDate": "2025-03-02T09:00:00Z" } } ],
          "reviews": [
            { "id": "PRR_T1", "databaseId": 11, "state": "CHANGES_REQUESTED", "author": { "__typename": "User", "login": "bob" },
              "createdAt": "2025-03-03T10:00:00Z", "submittedAt": "2025-03-03T10:00:00Z" },
            { "id": "PRR_T2", "databaseId": 12, "state": "COMMENTED", "author": { "__typename": "Bot", "login": "copilot-pull-request-reviewer" },
              "createdAt": "2025-03-04T10:00:00Z", "submittedAt": "2025-03-04T10:00:00Z" } ],
          "comments": [ { "id": "IC_T1", "databaseId": 21, "body": "first", "createdAt": "2025-03-01T12:00:00Z", "author": null } ],
          "reviewThreads": [ { "id": "PRRT_T1", "path": "a.go", "comments": [
            { "id": "PRRC_T1", "databaseId": 31, "body": "here", "createdAt": "2025-03-03T10:00:00Z", "pullRequestReview": { "id": "PRR_T1" } } ] } ],
          "timelineItems": [
            { "__typename": "ReadyForReviewEvent", "id": "RFRE_T1", "createdAt": "2025-03-01T11:00:00Z", "actor": { "__typename": "User", "login": "jane" },
              "url": "https://github.com/acme/widgets/pull/1#event-1", "resourcePath": "/acme/widgets/pull/1#event-1" },
            { "__typename": "ReviewRequestedEvent", "id": "RRE_T1", "createdAt": "2025-03-02T10:00:00Z", "actor": { "__typename": "User", "login": "jane" },
              "requestedReviewer": { "__typename": "User", "login": "bob" } },
            { "__typename": "ReviewRequestedEvent", "id": "RRE_T2", "createdAt": "2025-03-02T10:00:00Z", "actor": { "__typename": "User", "login": "jane" },
              "requestedReviewer": { "__typename": "Team", "id": "T_1", "name": "Backend", "slug": "backend" } },
            { "__typename": "ReviewRequestedEvent", "id": "RRE_T3", "createdAt": "2025-03-02T11:00:00Z", "actor": { "__typename": "User", "login": "jane" },
              "requestedReviewer": { "__typename": "Bot", "login": "copilot-pull-request-reviewer" } },
            { "__typename": "ReviewRequestRemovedEvent", "id": "RRRE_T1", "createdAt": "2025-03-02T12:00:00Z", "actor": { "__typename": "User", "login": "jane" },
              "requestedReviewer": { "__typename": "Team", "id": "T_1", "name": "Backend", "slug": "backend" } },
            { "__typename": "HeadRefForcePushedEvent", "id": "HRFPE_T1", "createdAt": "2025-03-02T13:00:00Z", "actor": { "__typename": "User", "login": "jane" },
              "beforeCommit": { "oid": "x9" }, "afterCommit": { "oid": "c2" }, "ref": { "name": "feature/x" } },
            { "__typename": "ConvertToDraftEvent", "id": "CTDE_T1", "createdAt": "2025-03-03T12:00:00Z", "actor": { "__typename": "User", "login": "jane" },
              "url": "https://github.com/acme/widgets/pull/1#event-7", "resourcePath": "/acme/widgets/pull/1#event-7" },
            { "__typename": "ReadyForReviewEvent", "id": "RFRE_T2", "createdAt": "2025-03-04T09:00:00Z", "actor": null,
              "url": "https://github.com/acme/widgets/pull/1#event-8", "resourcePath": "/acme/widgets/pull/1#event-8" },
            { "__typename": "MergedEvent", "id": "ME_T1", "createdAt": "2025-03-05T12:00:00Z", "actor": { "__typename": "User", "login": "bob" },
              "commit": { "oid": "m111" }, "mergeRefName": "main",
              "url": "https://github.com/acme/widgets/pull/1#event-9", "resourcePath": "/acme/widgets/pull/1#event-9" },
            { "__typename": "ClosedEvent", "id": "CE_T1", "createdAt": "2025-03-05T12:00:00Z", "actor": { "__typename": "User", "login": "bob" },
              "url": "https://github.com/acme/widgets/pull/1#event-10", "resourcePath": "/acme/widgets/pull/1#event-10" } ] },
        { "id": "PR_T2", "databaseId": 102, "number": 2, "title": "Draft", "state": "OPEN", "isDraft": true, "baseRefName": "main", "headRefName": "deps", "headRefOid": "d1",
          "url": "https://github.com/acme/widgets/pull/2",
          "createdAt": "2025-03-06T10:00:00Z", "updatedAt": "2025-03-06T10:00:00Z", "author": { "__typename": "Bot", "login": "dependabot" },
          "commits": [ { "id": "PURC_T4", "commit": { "oid": "d1", "committedDate": "2025-03-06T09:00:00Z" } } ], "reviews": [], "comments": [], "reviewThreads": [], "labels": [] },
        { "id": "PR_T3", "databaseId": 103, "number": 3, "title": "Reopened", "state": "OPEN", "isDraft": false, "headRefOid": "c3",
          "createdAt": "2025-03-07T09:00:00Z", "updatedAt": "2025-03-07T11:00:00Z", "author": { "__typename": "User", "login": "jane" },
          "commits": [ { "id": "PURC_T3", "commit": { "oid": "c3" } } ],
          "timelineItems": [
            { "__typename": "ClosedEvent", "id": "CE_T3", "createdAt": "2025-03-07T10:00:00Z", "actor": { "__typename": "User", "login": "jane" } },
            { "__typename": "ReopenedEvent", "id": "REE_T3", "createdAt": "2025-03-07T11:00:00Z", "actor": { "__typename": "User", "login": "jane" } } ] } ] } ]
    }
    """;
}
