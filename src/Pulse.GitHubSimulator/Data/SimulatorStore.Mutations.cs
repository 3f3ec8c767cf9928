using System.Globalization;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

internal sealed partial class SimulatorStore
{
    private long _nextSimId;

    /// <inheritdoc />
    public JsonObject Apply(JsonObject mutation)
    {
        var op = (string?)(mutation["op"] ?? mutation["type"] ?? mutation["operation"])
            ?? throw new ArgumentException("Mutation has no \"op\".");
        Lock.EnterWriteLock();
        try
        {
            var repo = FindRepository((string?)mutation["owner"] ?? "", (string?)mutation["repo"] ?? "")
                ?? throw new ArgumentException($"Mutation {op}: no repository {mutation["owner"]}/{mutation["repo"]}.");
            if (op == "delete_repo")
            {
                DeleteRepository(repo);
                return new JsonObject { ["op"] = op, ["deleted"] = repo.NameWithOwner, ["pullRequests"] = repo.PullRequests.Count };
            }
            var number = GraphQL.Execution.QueryValues.AsLong(mutation["number"]) ?? 0;
            var pr = repo.ByNumber.GetValueOrDefault(number)
                ?? throw new ArgumentException($"Mutation {op}: no pull request #{number} in {repo.NameWithOwner}.");
            var stamp = Tick();
            var result = new JsonObject { ["op"] = op, ["updatedAt"] = stamp };
            switch (op)
            {
                case "edit_pr":
                    foreach (var (key, value) in (mutation["fields"] as JsonObject ?? []).ToList())
                        pr[key] = value?.DeepClone();
                    break;
                case "close_pr":
                    Require(State(pr) == "OPEN", $"close_pr: #{number} is {State(pr)}; only an open pull request can be closed.");
                    pr["state"] = "CLOSED";
                    pr["closedAt"] = stamp;
                    result["eventId"] = AppendEvent(pr, "ClosedEvent", stamp, mutation);
                    break;
                case "reopen_pr":
                    Require(State(pr) == "CLOSED", $"reopen_pr: #{number} is {State(pr)}; only a closed, unmerged pull request can be reopened.");
                    pr["state"] = "OPEN";
                    pr["closedAt"] = null;
                    result["eventId"] = AppendEvent(pr, "ReopenedEvent", stamp, mutation);
                    break;
                case "merge_pr":
                    Require(State(pr) == "OPEN" && pr["isDraft"]?.GetValue<bool>() != true, $"merge_pr: #{number} is {(State(pr) == "OPEN" ? "a draft" : State(pr))}; only an open pull request ready for review can be merged.");
                    pr["state"] = "MERGED";
                    pr["mergedAt"] = stamp;
                    pr["closedAt"] = stamp;
                    pr["mergedBy"] = mutation["mergedBy"] is JsonObject by ? by.DeepClone()
                        : new JsonObject { ["__typename"] = "User", ["login"] = (string?)mutation["mergedBy"] ?? "simulator" };
                    if (mutation["mergeCommit"] is JsonValue mergeOid) pr["mergeCommit"] = new JsonObject { ["oid"] = mergeOid.DeepClone() };
                    // GitHub records a merge as a MergedEvent and, at the same moment, a ClosedEvent.
                    result["eventId"] = AppendEvent(pr, "MergedEvent", stamp, mutation, new JsonObject
                    {
                        ["commit"] = pr["mergeCommit"]?.DeepClone(), ["mergeRefName"] = pr["baseRefName"]?.DeepClone(),
                    }, pr["mergedBy"]);
                    AppendEvent(pr, "ClosedEvent", stamp, mutation, actor: pr["mergedBy"]);
                    break;
                case "delete_pr":
                    repo.PullRequests.Remove(pr);
                    repo.ByNumber.Remove(number);
                    _repoOfRoot.Remove(pr);
                    Unindex(pr);
                    return result;
                case "add_commit":
                    var commit = Required(mutation, "commit", op);
                    result["id"] = AddChild(pr, "commits", commit["commit"] is JsonObject ? commit : new JsonObject { ["commit"] = commit }, "PURC", stamp);
                    pr["headRefOid"] = (pr["commits"] as JsonArray)?[^1]?["commit"]?["oid"]?.DeepClone();
                    break;
                case "add_comment":
                    result["id"] = AddChild(pr, "comments", Required(mutation, "comment", op), "IC", stamp);
                    break;
                case "add_review":
                    result["id"] = AddChild(pr, "reviews", Required(mutation, "review", op), "PRR", stamp);
                    break;
                case "add_thread":
                    var thread = Required(mutation, "thread", op);
                    var comments = thread["comments"] as JsonArray ?? [];
                    thread.Remove("comments");
                    result["id"] = AddChild(pr, "reviewThreads", thread, "PRRT", stamp);
                    var added = new JsonArray();
                    foreach (var c in comments.ToList())
                        if (c is JsonObject comment) added.Add(AddThreadComment(thread, comment.DeepClone().AsObject(), stamp));
                    result["commentIds"] = added;
                    break;
                case "add_thread_comment":
                    var threadId = (string?)mutation["threadId"] ?? throw new ArgumentException("add_thread_comment needs \"threadId\".");
                    var target = (pr["reviewThreads"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(t => (string?)t["id"] == threadId)
                        ?? throw new ArgumentException($"add_thread_comment: no thread {threadId} on #{number}.");
                    result["id"] = AddThreadComment(target, Required(mutation, "comment", op), stamp);
                    break;
                case "delete_comment":
                    var id = (string?)mutation["id"] ?? throw new ArgumentException("delete_comment needs \"id\".");
                    result["deleted"] = RemoveComment(pr, id) ?? throw new ArgumentException($"delete_comment: no comment {id} on #{number}.");
                    break;
                default:
                    if (!ApplyTimeline(op, mutation, pr, stamp, result) && !ApplyLabels(op, mutation, repo, pr, result))
                        throw new ArgumentException($"Unknown mutation op \"{op}\".");
                    break;
            }
            pr["updatedAt"] = stamp;
            return result;
        }
        finally
        {
            // Any change may move a pull request in an order (updatedAt, state) or add or remove one.
            foreach (var r in Repositories) r.PullRequestOrders.Clear();
            Lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// GitHub stamps a change with its own clock: the wall clock, or one second past everything in
    /// the data when the data set's times lie ahead of it, so every change is seen by an updatedAt filter.
    /// </summary>
    private string Tick()
    {
        var next = (_latest > _now ? _latest : _now).AddSeconds(1);
        var wall = DateTimeOffset.UtcNow;
        _latest = wall > next ? new DateTimeOffset(wall.Ticks - wall.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero) : next;
        _now = _latest;
        return Format(_now);
    }

    internal static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Required(JsonObject mutation, string name, string op) =>
        (mutation[name] as JsonObject)?.DeepClone().AsObject() ?? throw new ArgumentException($"{op} needs an object \"{name}\".");

    private string AddChild(JsonObject pr, string field, JsonObject child, string prefix, string stamp)
    {
        Stamp(child, prefix, stamp);
        if (pr[field] is not JsonArray array) pr[field] = array = [];
        array.Add(child);
        IndexChild(child, PullRequestArrays.TypeOf[field]);
        return (string)child["id"]!;
    }

    private string AddThreadComment(JsonObject thread, JsonObject comment, string stamp)
    {
        Stamp(comment, "PRRC", stamp);
        if (thread["comments"] is not JsonArray array) thread["comments"] = array = [];
        array.Add(comment);
        IndexChild(comment, "PullRequestReviewComment");
        return (string)comment["id"]!;
    }

    private void Stamp(JsonObject child, string prefix, string stamp)
    {
        child["id"] ??= $"{prefix}_sim_{++_nextSimId}";
        child["databaseId"] ??= ++_maxDatabaseId;
        if (prefix != "PURC")
        {
            child["createdAt"] ??= stamp;
            child["updatedAt"] ??= stamp;
        }
        if (prefix == "PRR") child["submittedAt"] ??= stamp;
    }

    /// <summary>
    /// GitHub forgets a deleted repository at once: its owner no longer lists it, and the repository,
    /// its pull requests and everything in them resolve to nothing (the executor's NOT_FOUND path).
    /// </summary>
    private void DeleteRepository(RepositoryRecord repo)
    {
        repo.Owner.Repositories.Remove(repo);
        Repositories.Remove(repo);
        _repoByName.Remove(repo.NameWithOwner);
        _repoOfRoot.Remove(repo.Json);
        Unindex(repo.Json);
        foreach (var pr in repo.PullRequests)
        {
            _repoOfRoot.Remove(pr);
            Unindex(pr);
        }
    }

    /// <summary>The removed comment, with "kind" issue or review (which webhook GitHub sends); null when there is none.</summary>
    private JsonObject? RemoveComment(JsonObject pr, string id)
    {
        var arrays = new List<JsonArray?> { pr["comments"] as JsonArray };
        arrays.AddRange((pr["reviewThreads"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t["comments"] as JsonArray));
        foreach (var array in arrays)
        {
            var match = array?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["id"] == id);
            if (match is null) continue;
            array!.Remove(match);
            _byId.Remove(id);
            var removed = match.DeepClone().AsObject();
            removed["kind"] = ReferenceEquals(array, arrays[0]) ? "issue" : "review";
            return removed;
        }
        return null;
    }
}
