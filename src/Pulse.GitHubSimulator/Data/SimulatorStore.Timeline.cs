using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.GraphQL.Execution;

namespace Pulse.GitHubSimulator.Data;

/// <summary>
/// A pull request's timeline events: indexed at load, and appended by the mutations that change what they record,
/// refused where GitHub refuses the change (merging a draft, reopening a merged PR), so a timeline never contradicts its PR.
/// </summary>
internal sealed partial class SimulatorStore
{
    /// <summary>Only the event types DATASET.md names may be in a data set's timelineItems; anything else fails the load, saying which.</summary>
    private void IndexTimeline(JsonObject pr)
    {
        foreach (var item in pr["timelineItems"] as JsonArray ?? [])
        {
            if (item is not JsonObject e || (string?)e["__typename"] is not { } type || !TimelineItems.IsEvent(type))
                throw new ArgumentException($"Pull request {pr["id"]} has a timeline item {item?["id"]} of type {item?["__typename"]?.ToJsonString() ?? "(no __typename)"}; "
                    + $"a data set's timelineItems hold only {string.Join(", ", TimelineItems.EventTypes.Select(e => e.TypeName))} (DATASET.md).");
            IndexObject(e, type);
        }
    }

    /// <summary>The timeline operations of <see cref="Apply"/>; false when <paramref name="op"/> is none of them.</summary>
    private bool ApplyTimeline(string op, JsonObject mutation, JsonObject pr, string stamp, JsonObject result)
    {
        var number = pr["number"];
        var draft = pr["isDraft"] is JsonValue d && d.TryGetValue<bool>(out var isDraft) && isDraft;
        switch (op)
        {
            case "ready_for_review":
                Require(draft && State(pr) == "OPEN", $"ready_for_review: #{number} is not an open draft.");
                pr["isDraft"] = false;
                result["id"] = AppendEvent(pr, "ReadyForReviewEvent", stamp, mutation);
                return true;
            case "convert_to_draft":
                Require(!draft && State(pr) == "OPEN", $"convert_to_draft: #{number} is not an open pull request ready for review.");
                pr["isDraft"] = true;
                result["id"] = AppendEvent(pr, "ConvertToDraftEvent", stamp, mutation);
                return true;
            case "request_review" or "remove_review_request":
                var reviewer = mutation["reviewer"] switch
                {
                    JsonObject o => o.DeepClone(),
                    JsonValue login when login.TryGetValue<string>(out var l) => new JsonObject { ["__typename"] = "User", ["login"] = l },
                    _ => throw new ArgumentException($"{op} needs a \"reviewer\": a login, or an object with __typename and login (a Team: name and slug)."),
                };
                var type = op == "request_review" ? "ReviewRequestedEvent" : "ReviewRequestRemovedEvent";
                result["id"] = AppendEvent(pr, type, stamp, mutation, new JsonObject { ["requestedReviewer"] = reviewer });
                return true;
            case "force_push":
                result["id"] = ForcePush(pr, mutation, stamp);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Replaces the PR's commits with <c>"commits"</c> (commits whose oid was there keep their node) and records the
    /// push: beforeCommit is the old head, which must be gone (else it was an ordinary push), afterCommit the new head.
    /// </summary>
    private string ForcePush(JsonObject pr, JsonObject mutation, string stamp)
    {
        if (mutation["commits"] is not JsonArray { Count: > 0 } given)
            throw new ArgumentException("force_push needs \"commits\": the pull request's commits after the push, oldest first.");
        var old = pr["commits"] as JsonArray ?? [];
        var before = (string?)old.LastOrDefault()?["commit"]?["oid"] ?? (string?)pr["headRefOid"]
            ?? throw new ArgumentException($"force_push: #{pr["number"]} has no head commit to replace.");
        var kept = old.OfType<JsonObject>().Where(c => (string?)c["commit"]?["oid"] is not null)
            .ToDictionary(c => (string)c["commit"]!["oid"]!, StringComparer.Ordinal);
        var commits = new JsonArray();
        foreach (var item in given)
        {
            var commit = item is JsonObject { } o && o["commit"] is JsonObject ? o.DeepClone().AsObject()
                : new JsonObject { ["commit"] = item?.DeepClone() ?? throw new ArgumentException("force_push: a commit is null.") };
            var oid = (string?)commit["commit"]?["oid"] ?? throw new ArgumentException("force_push: every commit needs an \"oid\".");
            if (oid == before) throw new ArgumentException($"force_push: the new commits still hold the head {before}; that is an ordinary push (add_commit).");
            commits.Add(kept.Remove(oid, out var existing) ? existing.DeepClone() : commit);
        }
        foreach (var gone in kept.Values) Unindex(gone);
        pr["commits"] = commits;
        foreach (var commit in commits.OfType<JsonObject>())
        {
            Stamp(commit, "PURC", stamp);
            IndexChild(commit, "PullRequestCommit");
        }
        var after = (string)commits[^1]!["commit"]!["oid"]!;
        pr["headRefOid"] = after;
        return AppendEvent(pr, "HeadRefForcePushedEvent", stamp, mutation, new JsonObject
        {
            ["beforeCommit"] = new JsonObject { ["oid"] = before },
            ["afterCommit"] = new JsonObject { ["oid"] = after },
            ["ref"] = pr["headRefName"] is JsonValue head ? new JsonObject { ["name"] = head.DeepClone() } : null,
        });
    }

    /// <summary>
    /// Appends an event at <paramref name="stamp"/>. Its actor is the mutation's "actor" (a login or an actor object),
    /// else the PR's author (null for a deleted user, as GitHub serves one).
    /// </summary>
    private string AppendEvent(JsonObject pr, string type, string stamp, JsonObject mutation, JsonObject? fields = null, JsonNode? actor = null)
    {
        var kind = TimelineItems.Event(type);
        var id = $"{kind.IdPrefix}_sim_{++_nextSimId}";
        var item = new JsonObject { ["__typename"] = type, ["id"] = id, ["createdAt"] = stamp };
        item["actor"] = mutation["actor"] switch
        {
            JsonObject o => o.DeepClone(),
            JsonValue login when login.TryGetValue<string>(out var l) => new JsonObject { ["__typename"] = "User", ["login"] = l },
            _ => (actor ?? pr["author"])?.DeepClone(),
        };
        foreach (var (key, value) in fields ?? []) item[key] = value?.DeepClone();
        // UniformResourceLocatable events carry the PR's url with their anchor, as GitHub links them.
        if (kind.HasUrl && (string?)pr["url"] is { } url)
        {
            item["url"] = $"{url}#event-{_nextSimId}";
            item["resourcePath"] = new Uri(url).AbsolutePath + $"#event-{_nextSimId}";
        }
        if (pr["timelineItems"] is not JsonArray timeline) pr["timelineItems"] = timeline = [];
        timeline.Add(item);
        IndexObject(item, type);
        return id;
    }

    private static string? State(JsonObject pr) => (string?)pr["state"];

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
