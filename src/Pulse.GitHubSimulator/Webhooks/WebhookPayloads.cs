using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;

namespace Pulse.GitHubSimulator.Webhooks;

/// <summary>
/// The deliveries GitHub sends for a change, shaped as its webhook docs (and @octokit/webhooks-examples) show them: the event,
/// and a payload of <c>action</c>, the object changed, <c>pull_request</c>, <c>repository</c> and <c>sender</c>. Every value
/// comes from the simulator's data (REST names: <c>id</c> is the database id, <c>node_id</c> the GraphQL id); a field the
/// data does not hold is left out, never made up.
/// </summary>
internal static class WebhookPayloads
{
    /// <summary>The (event, payload) pairs of one applied mutation; <paramref name="before"/> and <paramref name="after"/> describe the PR around it.</summary>
    public static IReadOnlyList<(string Event, JsonObject Payload)> For(JsonObject mutation, JsonObject result, JsonObject? before, ISimulatorData data, string viewer)
    {
        var op = (string?)(mutation["op"] ?? mutation["type"] ?? mutation["operation"]);
        var (owner, repo) = ((string?)mutation["owner"] ?? "", (string?)mutation["repo"] ?? "");
        var number = GraphQL.Execution.QueryValues.AsLong(mutation["number"]) ?? 0;
        var sender = new JsonObject { ["login"] = Login(mutation["actor"]) ?? viewer };
        JsonObject? Describe(string? child = null) => data.Describe(owner, repo, number, child);
        if (op is "delete_pr" or "delete_repo" || Describe() is not { } after) return [];
        var pr = after["pullRequest"]!.AsObject();

        JsonObject Payload(string? action, params (string Key, JsonNode? Value)[] parts)
        {
            var payload = new JsonObject();
            if (action is not null) payload["action"] = action;
            foreach (var (key, value) in parts) payload[key] = value;
            payload["repository"] = Repository(after["repository"]!.AsObject());
            payload["sender"] = sender.DeepClone();
            return payload;
        }
        (string, JsonObject) PullRequestEvent(string action, params (string Key, JsonNode? Value)[] extra) =>
            ("pull_request", Payload(action, [("number", number), ("pull_request", PullRequest(pr)), .. extra]));

        switch (op)
        {
            case "edit_pr": return [PullRequestEvent("edited")];
            case "close_pr" or "merge_pr": return [PullRequestEvent("closed")];
            case "reopen_pr": return [PullRequestEvent("reopened")];
            case "ready_for_review": return [PullRequestEvent("ready_for_review")];
            case "convert_to_draft": return [PullRequestEvent("converted_to_draft")];
            case "request_review": return [PullRequestEvent("review_requested", ("requested_reviewer", Actor(mutation["reviewer"])))];
            case "remove_review_request": return [PullRequestEvent("review_request_removed", ("requested_reviewer", Actor(mutation["reviewer"])))];
            case "add_label" or "remove_label":
                return [PullRequestEvent(op == "add_label" ? "labeled" : "unlabeled", ("label", Label(result["label"]?.AsObject())))];
            case "add_commit" or "force_push":
                var head = (string?)before?["pullRequest"]?["headRefOid"];
                var push = Payload(null, ("ref", $"refs/heads/{pr["headRefName"]}"), ("before", head), ("after", pr["headRefOid"]?.DeepClone()),
                    ("forced", op == "force_push"), ("created", false), ("deleted", false), ("pusher", new JsonObject { ["name"] = sender["login"]!.DeepClone() }));
                return [("push", push), PullRequestEvent("synchronize", ("before", head), ("after", pr["headRefOid"]?.DeepClone()))];
            case "add_comment":
                return [("issue_comment", Payload("created", ("issue", Issue(pr)), ("comment", Comment(Describe((string?)result["id"])?["child"]))))];
            case "add_review":
                return [("pull_request_review", Payload("submitted", ("review", Review(Describe((string?)result["id"])?["child"])), ("pull_request", PullRequest(pr))))];
            case "add_thread" or "add_thread_comment":
                var ids = op == "add_thread" ? (result["commentIds"] as JsonArray ?? []).Select(i => (string?)i) : [(string?)result["id"]];
                return ids.Select(id => ("pull_request_review_comment",
                    Payload("created", ("comment", Comment(Describe(id)?["child"])), ("pull_request", PullRequest(pr))))).ToList();
            case "delete_comment":
                var deleted = result["deleted"]?.AsObject();
                return (string?)deleted?["kind"] == "issue"
                    ? [("issue_comment", Payload("deleted", ("issue", Issue(pr)), ("comment", Comment(deleted))))]
                    : [("pull_request_review_comment", Payload("deleted", ("comment", Comment(deleted)), ("pull_request", PullRequest(pr))))];
            default: return [];
        }
    }

    private static JsonObject Repository(JsonObject r) => Fields(
        ("id", r["databaseId"]), ("node_id", r["id"]), ("name", r["name"]), ("full_name", r["nameWithOwner"]), ("private", r["isPrivate"]),
        ("owner", new JsonObject { ["login"] = r["owner"]?.DeepClone() }));

    private static JsonObject PullRequest(JsonObject pr)
    {
        var state = (string?)pr["state"];
        return Fields(("id", pr["databaseId"]), ("node_id", pr["id"]), ("html_url", pr["url"]), ("number", pr["number"]),
            ("state", state == "OPEN" ? "open" : "closed"), ("title", pr["title"]), ("body", pr["body"]), ("user", Actor(pr["author"])),
            ("draft", pr["isDraft"]), ("merged", state == "MERGED"), ("merged_by", Actor(pr["mergedBy"])),
            ("created_at", pr["createdAt"]), ("updated_at", pr["updatedAt"]), ("closed_at", pr["closedAt"]), ("merged_at", pr["mergedAt"]),
            ("head", Fields(("ref", pr["headRefName"]), ("sha", pr["headRefOid"]))), ("base", Fields(("ref", pr["baseRefName"]), ("sha", pr["baseRefOid"]))));
    }

    /// <summary>A PR as an issue_comment's <c>issue</c>: an issue with a <c>pull_request</c> link is how GitHub marks a comment on a PR.</summary>
    private static JsonObject Issue(JsonObject pr) => Fields(("number", pr["number"]), ("title", pr["title"]), ("state", (string?)pr["state"] == "OPEN" ? "open" : "closed"),
        ("user", Actor(pr["author"])), ("pull_request", Fields(("html_url", pr["url"]), ("merged_at", pr["mergedAt"]))));

    private static JsonObject? Comment(JsonNode? c) => c is null ? null : Fields(("id", c["databaseId"]), ("node_id", c["id"]), ("body", c["body"]),
        ("user", Actor(c["author"])), ("created_at", c["createdAt"]), ("updated_at", c["updatedAt"]), ("path", c["path"]), ("html_url", c["url"]));

    private static JsonObject? Review(JsonNode? r) => r is null ? null : Fields(("id", r["databaseId"]), ("node_id", r["id"]), ("body", r["body"]),
        ("state", ((string?)r["state"])?.ToLowerInvariant()), ("user", Actor(r["author"])), ("submitted_at", r["submittedAt"]), ("commit_id", r["commit"]?["oid"]));

    /// <summary>A label as GitHub's <c>labeled</c> action carries it; the data holds no database id, so <c>id</c> is left out.</summary>
    private static JsonObject? Label(JsonObject? l) => l is null ? null : Fields(("node_id", l["id"]), ("name", l["name"]), ("color", l["color"]));

    private static JsonObject? Actor(JsonNode? actor) => actor switch
    {
        JsonObject o when Login(o) is { } login => Fields(("login", login), ("type", o["__typename"] is { } t && (string?)t == "Bot" ? "Bot" : "User")),
        JsonValue v when Login(v) is { } login => Fields(("login", login), ("type", "User")),
        _ => null,
    };

    private static string? Login(JsonNode? actor) => actor switch
    {
        JsonObject o => (string?)o["login"] ?? (string?)o["name"],
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => null,
    };

    /// <summary>An object of the given fields, each value copied; absent (null) ones left out.</summary>
    private static JsonObject Fields(params (string Key, JsonNode? Value)[] fields)
    {
        var o = new JsonObject();
        foreach (var (key, value) in fields)
            if (value is not null) o[key] = value.Parent is null ? value : value.DeepClone();
        return o;
    }
}
