using System.Text.Json.Nodes;
using GraphQL.Types;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL.Schema;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

internal sealed partial class Executor
{
    /// <summary>GitHub's limit on nodes(ids:), checked when the field runs (Platform::Objects::Query#nodes).</summary>
    private const int MaxNodeIds = 100;

    private object? ResolveField(object parent, string typeName, GraphQLField field, string name, FieldType definition, ResponsePath path, out bool errored)
    {
        errored = false;
        switch (parent)
        {
            case RootValue when typeName == "Mutation":
                return Forbidden(field, path, out errored);
            case RootValue:
                return ResolveQuery(field, name, path, out errored);
            case Connection c:
                return ResolveConnection(c, name) ?? Refuse(ServedFields.NotServed(typeName, name), field, path, out errored);
            case TimelinePage t:
                return ResolveTimelinePage(t, name, field, path, out errored);
            case Edge e:
                return name switch
                {
                    "cursor" => e.Connection.Cursor(e.Position),
                    "node" => Deref(e.Connection.All[e.Position]),
                    _ => null,
                };
            case PageInfo p:
                var empty = p.Connection.End <= p.Connection.Start;
                return name switch
                {
                    "hasNextPage" => p.Connection.HasNextPage,
                    "hasPreviousPage" => p.Connection.HasPreviousPage,
                    "startCursor" => empty ? null : p.Connection.Cursor(p.Connection.Start),
                    "endCursor" => empty ? null : p.Connection.Cursor(p.Connection.End - 1),
                    _ => null,
                };
            case JsonObject json:
                return ResolveData(json, typeName, field, name, definition, path, out errored);
            default:
                return null;
        }
    }

    // Apart from ResolveField: its lambdas capture the connection, and a capture there cost every field a closure.
    private object? ResolveConnection(Connection c, string name) => name switch
    {
        "totalCount" => c.TotalCount,
        "nodes" => c.Positions.Select(p => (object?)Deref(c.All[p])).ToList(),
        "edges" => c.Positions.Select(p => (object?)new Edge(c, p)).ToList(),
        "pageInfo" => new PageInfo(c),
        _ => null,
    };

    private object? ResolveData(JsonObject json, string typeName, GraphQLField field, string name, FieldType definition, ResponsePath path, out bool errored)
    {
        errored = false;
        var isConnection = GitHubTypes.IsConnection(definition);
        if (ServedFields.UnservedArgument(typeName, field, isConnection, _plan.Variables) is { } argument)
            return Refuse(ServedFields.NotServedArgument(typeName, name, argument), field, path, out errored);
        // Found only for the fields that need it: the walk to the object's root is the cost of every other field otherwise.
        RepositoryRecord? repo = typeName == "Repository" || name is "repository" or "baseRepository" or "headRepository" ? _store.RepositoryOf(json) : null;
        switch (typeName, name)
        {
            case ("Repository", "owner") when repo is not null: return repo.Owner.Json;
            case ("Repository", "nameWithOwner") when repo is not null: return repo.NameWithOwner;
            case ("Repository", "url") when repo is not null && json["url"] is null: return "https://github.com/" + repo.NameWithOwner;
            case ("Repository", "pullRequests") when repo is not null: return Page(PullRequests.Select(repo, field, _plan.Variables), field, path, out errored);
            case ("Repository", "pullRequest") when repo is not null:
                var number = QueryValues.IntArgument(field, "number", _plan.Variables) ?? 0;
                if (repo.ByNumber.TryGetValue(number, out var pr)) return pr;
                AddError("NOT_FOUND", $"Could not resolve to a PullRequest with the number of {number}.", path, field);
                errored = true;
                return null;
            case ("Repository", "issues") when repo is not null: return Page(PullRequests.Issues(repo, field, _plan.Variables), field, path, out errored);
            case ("Repository", "issue") when repo is not null:
                var issueNumber = QueryValues.IntArgument(field, "number", _plan.Variables) ?? 0;
                if (repo.IssuesByNumber.TryGetValue(issueNumber, out var issue)) return issue;
                AddError("NOT_FOUND", $"Could not resolve to an Issue with the number of {issueNumber}.", path, field);
                errored = true;
                return null;
            case ("Issue" or "PullRequest", "comments") when json["comments"] is JsonArray comments:
                return Page(PullRequests.Comments(comments, field, _plan.Variables), field, path, out errored);
            case ("IssueComment", "issue") when json.Parent?.Parent is JsonObject owningIssue && (string?)owningIssue["__typename"] == "Issue": return owningIssue;
            case ("Organization" or "User", "repositories") when _store.OwnerOf(json) is { } owner:
                return Page(PullRequests.Repositories(owner, field, _plan.Variables), field, path, out errored);
            case ("Organization" or "User", "repository") when _store.OwnerOf(json) is { } owner:
                return _store.FindRepository(owner.Login, (string?)QueryValues.Argument(field, "name", _plan.Variables) ?? "")?.Json;
            case ("PullRequest", "repository" or "baseRepository"): return repo?.Json;
            // Derived only when absent: a stored null is GitHub's own answer (the fork was deleted).
            case ("PullRequest", "headRepository") when !json.ContainsKey("headRepository"): return repo?.Json;
            case ("PullRequest", "merged") when json["state"] is not null: return (string?)json["state"] == "MERGED";
            case ("PullRequest", "closed") when json["state"] is not null: return (string?)json["state"] is "MERGED" or "CLOSED";
            case ("PullRequestReview", "comments"): return PageOf(ReviewComments(json), field, path, out errored);
            case ("PullRequest", "timelineItems"): return ResolveTimeline(json, field, path, out errored);
            case ("ClosedEvent" or "ReopenedEvent", "closable"): return _store.PullRequestOf(json);
            case (_, "pullRequest") when _store.PullRequestOf(json) is { } owning && !ReferenceEquals(owning, json): return owning;
            case (_, "repository") when repo is not null && json["repository"] is null: return repo.Json;
        }
        if (json.TryGetPropertyValue(name, out var value) && value is not null)
            return isConnection ? PageOf((value as JsonArray)?.ToList() ?? [], field, path, out errored) : Deref(value);
        return Absent(json, typeName, field, name, definition, isConnection, path, out errored);
    }

    /// <summary>
    /// A field the data set does not hold for this object. Never invented (DATASET.md): a nullable value is null; a
    /// non-null value or a connection is its zero only when the data set declares it in absentFields, and an error
    /// naming the field and the object otherwise; a connection the simulator does not implement is refused by name.
    /// </summary>
    private object? Absent(JsonObject json, string typeName, GraphQLField field, string name, FieldType definition, bool isConnection, ResponsePath path, out bool errored)
    {
        errored = false;
        var declared = _store.DeclaresAbsent(typeName, name);
        if (isConnection)
        {
            if (declared) return PageOf([], field, path, out errored);
            return Refuse(ServedFields.IsDataSetArray(typeName, name) ? DataSetLacks(json, typeName, name) : ServedFields.NotServed(typeName, name),
                field, path, out errored);
        }
        if (definition.ResolvedType is not NonNullGraphType nonNull) return null;
        return declared ? ZeroValue(nonNull.ResolvedType!) : Refuse(DataSetLacks(json, typeName, name), field, path, out errored);
    }

    private static string DataSetLacks(JsonObject json, string typeName, string name) => $"The data set has no {typeName}.{name} for {Describe(json)}";

    /// <summary>The object's id, or what identifies an object without one (a commit's oid, an actor's login), or its nearest identified parent.</summary>
    private static string Describe(JsonObject json)
    {
        foreach (var key in (string[])["id", "oid", "login"])
            if ((string?)(json[key] as JsonValue) is { } name) return name;
        for (var parent = json.Parent; parent is not null; parent = parent.Parent)
            if (parent is JsonObject o && (string?)(o["id"] as JsonValue) is { } id) return $"an object inside {id}";
        return "an object without id";
    }

    /// <summary>An error at the field's path; the field is null (and its null propagates as GitHub's would).</summary>
    private object? Refuse(string message, GraphQLField field, ResponsePath path, out bool errored)
    {
        AddError(null, message, path, field);
        errored = true;
        return null;
    }

    /// <summary>GitHub refuses a mutation a token may not make; the simulator's tokens are read-only personal access tokens.</summary>
    private object? Forbidden(GraphQLField field, ResponsePath path, out bool errored, string message = "Resource not accessible by personal access token")
    {
        var error = new JsonObject
        {
            ["type"] = "FORBIDDEN",
            ["path"] = path.ToJson(),
            ["extensions"] = new JsonObject { ["saml_failure"] = false },
            ["locations"] = _plan.Lines!.Locations(field),
            ["message"] = message,
        };
        _errors.Add(error);
        errored = true;
        return null;
    }

    private object? ResolveQuery(GraphQLField field, string name, ResponsePath path, out bool errored)
    {
        errored = false;
        if (!ServedFields.IsRoot(name)) return Refuse(ServedFields.NotServed("Query", name), field, path, out errored);
        if (ServedFields.UnservedArgument("Query", field, isConnection: false, _plan.Variables) is { } argument)
            return Refuse(ServedFields.NotServedArgument("Query", name, argument), field, path, out errored);
        string? Arg(string arg) => (string?)QueryValues.Argument(field, arg, _plan.Variables);
        object? NotFound(string message)
        {
            AddError("NOT_FOUND", message, path, field);
            return null;
        }
        object? result;
        switch (name)
        {
            case "repository":
                result = _store.FindRepository(Arg("owner") ?? "", Arg("name") ?? "")?.Json
                    ?? NotFound($"Could not resolve to a Repository with the name '{Arg("owner")}/{Arg("name")}'.");
                break;
            case "organization":
                result = _store.FindOwner(Arg("login") ?? "") is { } org && (string?)org.Json["__typename"] == "Organization" ? org.Json
                    : NotFound($"Could not resolve to an Organization with the login of '{Arg("login")}'.");
                break;
            case "user":
                result = _store.FindOwner(Arg("login") ?? "") is { } user && (string?)user.Json["__typename"] == "User" ? user.Json
                    : NotFound($"Could not resolve to a User with the login of '{Arg("login")}'.");
                break;
            case "repositoryOwner":
                return _store.FindOwner(Arg("login") ?? "")?.Json;
            case "viewer":
                // An installation token acts for no user: GitHub refuses it the viewer.
                if (_context.ViewerLogin is not { } viewer) return Forbidden(field, path, out errored, "Resource not accessible by integration");
                return _store.FindOwner(viewer)?.Json ?? new JsonObject { ["__typename"] = "User", ["login"] = viewer };
            case "node":
                result = _store.FindById(Arg("id") ?? "")?.Json ?? NotFound($"Could not resolve to a node with the global id of '{Arg("id")}'.");
                break;
            case "nodes":
                var ids = QueryValues.Argument(field, "ids", _plan.Variables) as JsonArray ?? [];
                if (ids.Count > MaxNodeIds)
                {
                    AddError("ARGUMENT_LIMIT", $"You may not provide more than {MaxNodeIds} node ids; you provided {ids.Count}.", path, field);
                    errored = true;
                    return null;
                }
                return ids.Select((id, i) =>
                {
                    if (_store.FindById((string?)id ?? "") is { } found) return (object?)found.Json;
                    path.Push(i);
                    AddError("NOT_FOUND", $"Could not resolve to a node with the global id of '{id}'.", path, field);
                    path.Pop();
                    return null;
                }).ToList();
            case "rateLimit":
                if (!_context.RateLimitEnforced) return null;
                var limit = _context.RateLimit;
                return new JsonObject
                {
                    ["cost"] = limit.Cost, ["limit"] = limit.Limit, ["remaining"] = limit.Remaining, ["used"] = limit.Used,
                    ["resetAt"] = SimulatorStore.Format(limit.ResetAt), ["nodeCount"] = limit.NodeCount,
                };
            default:
                return Refuse(ServedFields.NotServed("Query", name), field, path, out errored);
        }
        errored = result is null;
        return result;
    }

    private string NotFoundMessage(GraphQLField field)
    {
        string? Arg(string arg) => (string?)QueryValues.Argument(field, arg, _plan.Variables);
        return field.Name.Value == "repository"
            ? $"Could not resolve to a Repository with the name '{Arg("owner")}/{Arg("name")}'."
            : $"Could not resolve to a node with the global id of '{Arg("id") ?? Arg("login") ?? (string)field.Name.Value}'.";
    }

    /// <summary>A stored array in its natural order, paged; <paramref name="skip"/> is timelineItems' own argument.</summary>
    private Connection? PageOf(IReadOnlyList<JsonNode?> items, GraphQLField field, ResponsePath path, out bool errored, long skip = 0) =>
        Page(PullRequests.Natural(items), field, path, out errored, skip);

    /// <summary>
    /// Pages ordered items. Page sizes are checked here, when the field runs, as GitHub does: a bad one nulls this
    /// connection (and what its null propagates to) while the rest of the query is answered and charged.
    /// </summary>
    private Connection? Page(Ordered ordered, GraphQLField field, ResponsePath path, out bool errored, long skip = 0)
    {
        errored = false;
        if (ordered.Refused is { } refused) return (Connection?)Refuse(refused, field, path, out errored);
        var v = _plan.Variables;
        var first = QueryValues.IntArgument(field, "first", v);
        var last = QueryValues.IntArgument(field, "last", v);
        if (PageSizes.Check((string)field.Name.Value, first, last) is { } bad)
        {
            AddError(bad.Type, bad.Message, path, field);
            errored = true;
            return null;
        }
        var page = Connection.Page(ordered.Items, ordered.Order, first, last,
            (string?)QueryValues.Argument(field, "after", v), (string?)QueryValues.Argument(field, "before", v), out var error, skip);
        if (error is null) return page;
        AddError("INVALID_CURSOR_ARGUMENTS", error, path, field);
        errored = true;
        return null;
    }

    /// <summary>A reference stub such as <c>replyTo: {"id": ...}</c> stands for the indexed object.</summary>
    private object? Deref(JsonNode? value)
    {
        if (value is JsonObject stub && stub.Count <= 2 && stub.All(p => p.Key is "id" or "__typename")
            && (string?)stub["id"] is { } id && _store.FindById(id) is { } indexed)
            return indexed.Json;
        return value;
    }

    /// <summary>The review comments (in all threads of the PR) that belong to this review.</summary>
    private List<JsonNode?> ReviewComments(JsonObject review)
    {
        var id = (string?)review["id"];
        var pr = _store.PullRequestOf(review);
        if (id is null || pr is null) return [];
        return (pr["reviewThreads"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .SelectMany(t => t["comments"] as JsonArray ?? [])
            .Where(c => (string?)c?["pullRequestReview"]?["id"] == id)
            .ToList();
    }
}
