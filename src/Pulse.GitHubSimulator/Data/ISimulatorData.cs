using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

/// <summary>
/// The GitHub data the simulator serves, loaded from a data set (../../shared/github/DATASET.md
/// format) and changed only through <see cref="Apply"/>, which moves updatedAt as GitHub would.
/// Safe for concurrent readers and one writer.
/// </summary>
public interface ISimulatorData
{
    /// <summary>The data set's notion of "now" (generatedAt); mutations advance it.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Counts for the control surface: owners, repositories, pullRequests, commits, reviews, comments, reviewThreads.</summary>
    IReadOnlyDictionary<string, long> Counts { get; }

    /// <summary>
    /// Applies one mutation and returns what it changed (e.g. the new node's id). Operations,
    /// each with "owner", "repo" and "number" naming the pull request:
    /// edit_pr {fields}, close_pr, merge_pr {mergedBy?, mergeCommit?}, reopen_pr, delete_pr,
    /// add_commit {commit}, add_comment {comment}, add_review {review},
    /// add_thread {thread with comments}, add_thread_comment {threadId, comment},
    /// delete_comment {id}; the timeline operations ready_for_review, convert_to_draft,
    /// request_review {reviewer}, remove_review_request {reviewer}, force_push {commits}, each with an
    /// optional "actor" (close_pr, reopen_pr and merge_pr append their events too); and delete_repo,
    /// with only "owner" and "repo": the repository and its pull requests are gone. Unknown operations
    /// or targets, and changes GitHub refuses (merging a draft, reopening a merged pull request), throw
    /// <see cref="ArgumentException"/> with a message that says which.
    /// </summary>
    JsonObject Apply(JsonObject mutation);

    /// <summary>
    /// What a webhook of a change says, read from the data as it is now: {"repository", "pullRequest"} (the PR's own fields,
    /// without its connections) and, with <paramref name="childId"/>, "child" (that comment, review or thread comment). Null when
    /// the repository or PR does not exist (any more).
    /// </summary>
    JsonObject? Describe(string owner, string repo, long number, string? childId);
}
