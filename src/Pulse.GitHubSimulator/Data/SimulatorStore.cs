using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Data;

/// <summary>
/// The in-memory data set: owners, repositories, pull requests as JSON trees in GitHub's field
/// names, a global id index, and lookups the executor needs. Each pull request is its own JSON
/// root, so any nested object finds its pull request (and repository) through <c>node.Root</c>.
/// Readers hold <see cref="Lock"/> for reading; <see cref="Apply"/> takes it for writing.
/// </summary>
internal sealed partial class SimulatorStore : ISimulatorData
{
    private readonly Dictionary<string, OwnerRecord> _owners = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RepositoryRecord> _repoByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IndexedNode> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<JsonObject, RepositoryRecord> _repoOfRoot = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<JsonObject, OwnerRecord> _ownerOfJson = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _absentFields = new(StringComparer.Ordinal);
    private DateTimeOffset _now;
    private DateTimeOffset _latest;
    private long _maxDatabaseId;

    public SimulatorStore(DateTimeOffset generatedAt)
    {
        _now = generatedAt;
        _latest = generatedAt;
    }

    public ReaderWriterLockSlim Lock { get; } = new(LockRecursionPolicy.SupportsRecursion);

    public List<RepositoryRecord> Repositories { get; } = [];

    public DateTimeOffset Now
    {
        get { Lock.EnterReadLock(); try { return _now; } finally { Lock.ExitReadLock(); } }
    }

    public IReadOnlyDictionary<string, long> Counts
    {
        get
        {
            Lock.EnterReadLock();
            try { return CountAll(); }
            finally { Lock.ExitReadLock(); }
        }
    }

    /// <summary>True when the data set declares it lacks <c>Type.field</c>: where absent, it is served as its zero value (DATASET.md).</summary>
    public bool DeclaresAbsent(string typeName, string fieldName) => _absentFields.Count > 0 && _absentFields.Contains(typeName + "." + fieldName);

    public void DeclareAbsent(IEnumerable<string> fields)
    {
        foreach (var field in fields)
        {
            if (field.Split('.') is not [{ Length: > 0 }, { Length: > 0 }])
                throw new System.Text.Json.JsonException($"Data set: absentFields entry '{field}' must be Type.field.");
            _absentFields.Add(field);
        }
    }

    public OwnerRecord? FindOwner(string login) => _owners.GetValueOrDefault(login);

    public RepositoryRecord? FindRepository(string owner, string name) => _repoByName.GetValueOrDefault(owner + "/" + name);

    public IndexedNode? FindById(string id) => _byId.TryGetValue(id, out var node) ? node : null;

    /// <summary>The repository a repository or pull-request object (or anything inside a pull request) belongs to.</summary>
    public RepositoryRecord? RepositoryOf(JsonNode node) =>
        node.Root is JsonObject root && _repoOfRoot.TryGetValue(root, out var repo) ? repo : null;

    /// <summary>The pull request an object nested in one belongs to (the PR itself included).</summary>
    public JsonObject? PullRequestOf(JsonNode node) =>
        node.Root is JsonObject root && _repoOfRoot.TryGetValue(root, out var repo) && !ReferenceEquals(repo.Json, root) ? root : null;

    public OwnerRecord? OwnerOf(JsonObject json) => _ownerOfJson.GetValueOrDefault(json);

    public OwnerRecord AddOwner(JsonObject json)
    {
        var login = (string?)json["login"] ?? throw new ArgumentException("An owner has no login.");
        if (_owners.TryGetValue(login, out var existing))
        {
            // An owner first seen through a repository is replaced by its own entry, keeping its repositories.
            foreach (var (key, value) in json.ToList()) { json.Remove(key); existing.Json[key] = value; }
            IndexObject(existing.Json, (string?)existing.Json["__typename"] ?? "Organization");
            return existing;
        }
        json["__typename"] ??= "Organization";
        var owner = new OwnerRecord(json);
        _owners[login] = owner;
        _ownerOfJson[json] = owner;
        IndexObject(json, (string)json["__typename"]!);
        return owner;
    }

    public RepositoryRecord AddRepository(JsonObject json)
    {
        var ownerLogin = json["owner"] switch
        {
            JsonObject o => (string?)o["login"],
            JsonValue v => (string?)v,
            _ => null,
        } ?? throw new ArgumentException($"Repository {json["name"]} has no owner.");
        json.Remove("owner");
        var owner = _owners.GetValueOrDefault(ownerLogin) ?? AddOwner(new JsonObject { ["login"] = ownerLogin });
        json["__typename"] = "Repository";
        var repo = new RepositoryRecord(json, owner);
        owner.Repositories.Add(repo);
        Repositories.Add(repo);
        _repoByName[repo.NameWithOwner] = repo;
        _repoOfRoot[json] = repo;
        IndexObject(json, "Repository");
        IndexIssues(repo);
        return repo;
    }

    /// <summary>
    /// Indexes the issues under the repository's "issues" (by number, and with their comments and labels
    /// by id). Idempotent: the loader calls it again once the whole repository object is read.
    /// </summary>
    public void IndexIssues(RepositoryRecord repo)
    {
        foreach (var issue in repo.Issues)
        {
            issue["__typename"] = "Issue";
            if (GraphQL.Execution.QueryValues.AsLong(issue["number"]) is { } number) repo.IssuesByNumber[number] = issue;
            IndexObject(issue, "Issue");
            foreach (var (field, type) in IssueArrays.TypeOf)
                foreach (var item in issue[field] as JsonArray ?? [])
                    if (item is JsonObject child) IndexChild(child, type);
        }
    }

    public void AddPullRequest(RepositoryRecord repo, JsonObject pr)
    {
        pr["__typename"] = "PullRequest";
        repo.PullRequests.Add(pr);
        repo.PullRequestOrders.Clear();
        if (GraphQL.Execution.QueryValues.AsLong(pr["number"]) is { } number) repo.ByNumber[number] = pr;
        _repoOfRoot[pr] = repo;
        IndexObject(pr, "PullRequest");
        foreach (var (field, type) in PullRequestArrays.TypeOf)
            foreach (var item in pr[field] as JsonArray ?? [])
                if (item is JsonObject child) IndexChild(child, type);
        IndexTimeline(pr);
        if (pr["updatedAt"] is JsonValue updated && DateTimeOffset.TryParse((string?)updated, out var at) && at > _latest)
            _latest = at;
    }

    private void IndexChild(JsonObject child, string type)
    {
        child["__typename"] ??= type;
        IndexObject(child, type);
        if (type == "PullRequestReviewThread")
            foreach (var comment in child["comments"] as JsonArray ?? [])
                if (comment is JsonObject c) IndexChild(c, "PullRequestReviewComment");
    }

    private void IndexObject(JsonObject json, string type)
    {
        if (json["id"] is JsonValue id && (string?)id is { } key) _byId[key] = new IndexedNode(json, type);
        if (GraphQL.Execution.QueryValues.AsLong(json["databaseId"]) is { } value && value > _maxDatabaseId)
            _maxDatabaseId = value;
    }

    private void Unindex(JsonObject json)
    {
        if ((string?)json["id"] is { } key) _byId.Remove(key);
        foreach (var (_, value) in json)
            switch (value)
            {
                case JsonArray array:
                    foreach (var item in array) if (item is JsonObject o && o["id"] is not null) Unindex(o);
                    break;
            }
    }

    private Dictionary<string, long> CountAll()
    {
        var prs = Repositories.SelectMany(r => r.PullRequests).ToList();
        long Sum(string field) => prs.Sum(p => (long)((p[field] as JsonArray)?.Count ?? 0));
        return new Dictionary<string, long>
        {
            ["owners"] = _owners.Count,
            ["repositories"] = Repositories.Count,
            ["pullRequests"] = prs.Count,
            ["commits"] = Sum("commits"),
            ["reviews"] = Sum("reviews"),
            ["comments"] = Sum("comments"),
            ["reviewThreads"] = Sum("reviewThreads"),
            ["timelineItems"] = Sum("timelineItems"),
        };
    }
}
