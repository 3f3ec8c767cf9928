using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Fixtures;

/// <summary>
/// Collects owners, repositories and pull requests seen in recordings, merges what several
/// recordings say about the same pull request, and writes one DATASET.md document.
/// </summary>
internal sealed class DatasetBuilder
{
    private readonly Dictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _repositories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<long, JsonObject>> _pullRequests = new(StringComparer.Ordinal);

    public JsonObject Repository(string owner, string name, string ownerType = "Organization")
    {
        _owners.TryAdd(owner, ownerType);
        var key = $"{owner}/{name}";
        if (!_repositories.TryGetValue(key, out var repo))
        {
            repo = new JsonObject { ["owner"] = owner, ["name"] = name };
            _repositories[key] = repo;
            _pullRequests[key] = [];
        }
        return repo;
    }

    /// <summary>Adds recorded fields to a repository; the key fields owner and name stay as addressed.</summary>
    public void MergeRepositoryFields(string owner, string name, JsonObject fields)
    {
        var repo = Repository(owner, name);
        foreach (var (key, value) in fields)
            if (key is not ("owner" or "name" or "pullRequests" or "pullRequest" or "issue" or "issues"))
                Merge(repo, key, value);
    }

    public void MergePullRequest(string owner, string name, JsonObject pr)
    {
        Repository(owner, name);
        var number = pr["number"]?.GetValue<long>() ?? throw new ArgumentException($"A pull request of {owner}/{name} has no number.");
        pr = LinkHeadRepository(owner, name, pr);
        var prs = _pullRequests[$"{owner}/{name}"];
        if (!prs.TryGetValue(number, out var existing)) { prs[number] = (JsonObject)pr.DeepClone(); return; }
        foreach (var (key, value) in pr) Merge(existing, key, value);
    }

    /// <summary>
    /// A fork's head repository is a repository of its own: it is added to the data set and the pull
    /// request points at it by id, so a replay serves the fork's nameWithOwner.
    /// </summary>
    private JsonObject LinkHeadRepository(string owner, string name, JsonObject pr)
    {
        if (pr["headRepository"] is not JsonObject head || (string?)head["nameWithOwner"] is not { } full || full == $"{owner}/{name}")
            return pr;
        var parts = full.Split('/', 2);
        if (parts.Length != 2) return pr;
        var fork = Repository(parts[0], parts[1], "User");
        fork["id"] ??= (string?)head["id"] ?? $"R_converted_{parts[0]}_{parts[1]}";
        foreach (var (key, value) in head) if (key is not ("nameWithOwner" or "id")) Merge(fork, key, value);
        var linked = (JsonObject)pr.DeepClone();
        linked["headRepository"] = new JsonObject { ["id"] = (string)fork["id"]! };
        return linked;
    }

    /// <summary>Keeps data outside DATASET.md's core (e.g. issues) on the repository, under <paramref name="key"/>, by number.</summary>
    public void MergeRepositoryItem(string owner, string name, string key, JsonObject item)
    {
        var repo = Repository(owner, name);
        var items = repo[key] as JsonArray ?? (JsonArray)(repo[key] = new JsonArray());
        var number = item["number"]?.GetValue<long>();
        var existing = items.OfType<JsonObject>().FirstOrDefault(i => i["number"]?.GetValue<long>() == number);
        if (existing is null) items.Add(item.DeepClone());
        else foreach (var (k, v) in item) Merge(existing, k, v);
    }

    public void Write(Stream output, DateTimeOffset generatedAt)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var owners = new JsonArray([.. _owners.Select(o => new JsonObject { ["login"] = o.Key, ["__typename"] = o.Value })]);
        var repositories = new JsonArray();
        foreach (var (key, repo) in _repositories)
        {
            var copy = (JsonObject)repo.DeepClone();
            var prs = _pullRequests[key].Values.OrderBy(p => p["number"]!.GetValue<long>()).Select(p => WithReviewCommentThreads((JsonObject)p.DeepClone())).ToList();
            DateUndated(prs);
            copy["pullRequests"] = new JsonArray([.. prs.OrderBy(p => (string?)p["createdAt"], StringComparer.Ordinal)]);
            repositories.Add(copy);
        }
        new JsonObject
        {
            ["format"] = "pulse-github-dataset/1",
            ["generatedAt"] = generatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            // A recording holds what its query selected: the rest of the format is declared, never made up (DATASET.md).
            ["absentFields"] = FormatFields.Lacking(repositories.OfType<JsonObject>()),
            ["owners"] = owners,
            ["repositories"] = repositories,
        }.WriteTo(json);
    }

    /// <summary>
    /// A pull request recorded without createdAt (e.g. fetched by number) is dated one second after
    /// the latest lower-numbered one: numbers grow with creation, and the simulator orders by createdAt.
    /// </summary>
    private static void DateUndated(List<JsonObject> prsByNumber)
    {
        var last = prsByNumber.Select(p => (string?)p["createdAt"]).Where(t => t is not null).Order(StringComparer.Ordinal).FirstOrDefault();
        var previous = last is null ? DateTimeOffset.UnixEpoch : Parse(last).AddSeconds(-1);
        foreach (var pr in prsByNumber)
        {
            if ((string?)pr["createdAt"] is { } created) { previous = Parse(created) > previous ? Parse(created) : previous; continue; }
            previous = previous.AddSeconds(1);
            pr["createdAt"] = previous.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static DateTimeOffset Parse(string time) => DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// GitHub serves a review's comments from the PR's review threads, so a recorded
    /// <c>comments{totalCount}</c> of a review becomes a thread of that many placeholder comments pointing at it.
    /// </summary>
    private static JsonObject WithReviewCommentThreads(JsonObject pr)
    {
        if (pr["reviews"] is not JsonArray reviews || pr.ContainsKey("reviewThreads")) return pr;
        var threads = new JsonArray();
        foreach (var review in reviews.OfType<JsonObject>())
        {
            if (review["comments"] is not JsonArray comments || (string?)review["id"] is not { } id) continue;
            review.Remove("comments");
            if (comments.Count == 0) continue;
            threads.Add(new JsonObject
            {
                ["comments"] = new JsonArray([.. comments.Select(c => (JsonNode)new JsonObject { ["pullRequestReview"] = new JsonObject { ["id"] = id } })]),
            });
        }
        if (threads.Count > 0) pr["reviewThreads"] = threads;
        return pr;
    }

    /// <summary>
    /// Arrays from different recordings: real items win over placeholders, and the longer
    /// total count wins, so each recording still sees its totalCount. Objects merge by key.
    /// </summary>
    private static void Merge(JsonObject target, string key, JsonNode? value)
    {
        var current = target[key];
        switch (current, value)
        {
            case (null, _):
                target[key] = value?.DeepClone();
                break;
            case (JsonArray a, JsonArray b):
                var real = RealCount(b) > RealCount(a) ? b : a;
                var merged = new JsonArray([.. real.Where(IsReal).Select(n => n?.DeepClone())]);
                while (merged.Count < Math.Max(a.Count, b.Count)) merged.Add(new JsonObject());
                target[key] = merged;
                break;
            case (JsonObject a, JsonObject b):
                foreach (var (k, v) in b) Merge(a, k, v);
                break;
            default:
                if (value is not null) target[key] = value.DeepClone();
                break;
        }
    }

    private static bool IsReal(JsonNode? node) => node is not JsonObject o || o.Count > 0;

    private static int RealCount(JsonArray array) => array.Count(IsReal);
}
