using System.Text.Json;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Webhooks;

/// <summary>
/// Which pull requests a delivery names. Only ids are read from a payload (repository and PR node ids, a PR number, a pushed
/// branch): never data. What the PR holds is fetched from GitHub's API by the refresh.
/// </summary>
public static class WebhookEvents
{
    /// <summary>The events Pulse acts on; any other is stored as ignored and answered 2xx.</summary>
    public static readonly IReadOnlySet<string> Handled = new HashSet<string>(StringComparer.Ordinal)
    {
        "pull_request", "pull_request_review", "pull_request_review_comment", "pull_request_review_thread", "issue_comment", "push",
    };

    /// <summary>The payload's top-level <c>action</c>, or null (push has none). Throws <see cref="JsonException"/> when the body is not a JSON object.</summary>
    public static string? ActionOf(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var doc = JsonDocument.ParseValue(ref reader);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("The payload is not a JSON object.");
        return doc.RootElement.Str("action");
    }

    /// <summary>
    /// Whether a delivery says the commits of the PRs it names changed (a push, a PR's synchronize): their refresh asks for the
    /// commits in its first round, instead of finding a new head in GitHub's answer and asking them in a second. Only a hint for
    /// the query's shape: a refresh without it still compares GitHub's head and count with the ones Pulse holds.
    /// </summary>
    public static bool ChangesCommits(string eventName, ReadOnlySpan<byte> payload) =>
        eventName == "push" || (eventName == "pull_request" && ActionOf(payload) == "synchronize");

    /// <summary>The PRs a delivery of a handled event names: none for a comment on an issue or a push that rewrote no history.</summary>
    public static IReadOnlyList<PullRequestRef> Targets(string eventName, ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || root.Prop("repository")?.Str("node_id") is not { } repository) return [];
        switch (eventName)
        {
            case "pull_request" or "pull_request_review" or "pull_request_review_comment" or "pull_request_review_thread":
                var pr = root.Prop("pull_request");
                return pr?.Str("node_id") is { } nodeId ? [new PullRequestRef(repository, NodeId: nodeId, Number: pr.Value.Int("number"))] : [];
            case "issue_comment":
                // An issue's comments arrive here too; only those on a PR (the issue has a pull_request link) concern Pulse.
                var issue = root.Prop("issue");
                return issue?.Prop("pull_request") is { ValueKind: JsonValueKind.Object } && issue.Value.Int("number") is { } number
                    ? [new PullRequestRef(repository, Number: number)] : [];
            case "push":
                // An ordinary push adds commits the next sync lists; a forced one rewrote the PR's history, which only a refetch removes.
                return root.Bool("forced") && root.Str("ref") is { } pushed && pushed.StartsWith("refs/heads/", StringComparison.Ordinal)
                    ? [new PullRequestRef(repository, HeadRef: pushed["refs/heads/".Length..])] : [];
            default:
                return [];
        }
    }
}
