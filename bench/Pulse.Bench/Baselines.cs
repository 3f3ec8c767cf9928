using System.Text.Json;

namespace Pulse.Bench;

/// <summary>Shared pieces of the baseline extractors: repository listing and connection paging.</summary>
public abstract class Baseline(GraphQLHttp client, string owner, int parallelism)
{
    protected GraphQLHttp Client { get; } = client;
    protected string Owner { get; } = owner;
    protected ParallelOptions Parallel(CancellationToken ct) => new() { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };

    protected async Task<List<string>> RepositoriesAsync(CancellationToken ct)
    {
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var data = await Client.QueryAsync(
                "query($o: String!, $c: String) { repositoryOwner(login: $o) { repositories(first: 100, after: $c) { pageInfo { hasNextPage endCursor } nodes { name } } } }",
                new { o = Owner, c = cursor }, ct);
            var repos = data.GetProperty("repositoryOwner").GetProperty("repositories");
            names.AddRange(repos.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()!));
            cursor = Next(repos);
        } while (cursor is not null);
        return names;
    }

    /// <summary>Pages one connection to its end, starting after <paramref name="cursor"/>; returns the items fetched.</summary>
    protected static async Task<long> PageAsync(string? cursor, Func<string?, Task<JsonElement>> fetch)
    {
        long items = 0;
        do
        {
            var connection = await fetch(cursor);
            items += connection.GetProperty("nodes").GetArrayLength();
            cursor = Next(connection);
        } while (cursor is not null);
        return items;
    }

    protected static string? Next(JsonElement connection)
    {
        var info = connection.GetProperty("pageInfo");
        return info.GetProperty("hasNextPage").GetBoolean() ? info.GetProperty("endCursor").GetString() : null;
    }

    public abstract Task<DataShape> RunAsync(CancellationToken ct);
}

/// <summary>
/// (a) The seed's strategy as written (shared/seed: extract_github_pull_requests, then commits, then reviews,
/// then comments): PR pages with PR fields only; then, step by step, one query per PR (and per further page)
/// for its commits, its reviews, and its comments (issue comments plus review threads with their comments,
/// so the data is complete). The seed names no page size; 100, GitHub's maximum and the cheapest, is used.
/// </summary>
public sealed class SeedBaseline(GraphQLHttp client, string owner, int parallelism) : Baseline(client, owner, parallelism)
{
    private const string PrFields = "id number title body state isDraft createdAt updatedAt closedAt mergedAt author { login } mergedBy { login } baseRefName headRefName additions deletions changedFiles";
    private const string Info = "pageInfo { hasNextPage endCursor }";
    private const string CommitFields = "commit { oid message additions deletions authoredDate committedDate author { name email date } committer { name email date } }";
    private const string ReviewFields = "id databaseId state body author { login } createdAt submittedAt";
    private const string CommentFields = "id databaseId body author { login } createdAt updatedAt";
    private const string ReviewCommentFields = "id databaseId body author { login } createdAt updatedAt path line originalLine diffHunk replyTo { id } pullRequestReview { id }";
    private const string ThreadFields = "id isResolved isOutdated path line";
    private const string TimelineTypes = "READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT, REVIEW_REQUESTED_EVENT, REVIEW_REQUEST_REMOVED_EVENT, HEAD_REF_FORCE_PUSHED_EVENT, MERGED_EVENT, CLOSED_EVENT, REOPENED_EVENT";
    private const string TimelineFields = "__typename ... on Node { id } ... on ReadyForReviewEvent { createdAt } ... on ConvertToDraftEvent { createdAt } "
        + "... on ReviewRequestedEvent { createdAt requestedReviewer { __typename } } ... on ReviewRequestRemovedEvent { createdAt } "
        + "... on HeadRefForcePushedEvent { createdAt beforeCommit { oid } afterCommit { oid } } ... on MergedEvent { createdAt } ... on ClosedEvent { createdAt } ... on ReopenedEvent { createdAt }";

    public override async Task<DataShape> RunAsync(CancellationToken ct)
    {
        var shape = new DataShape();
        var prs = new List<(string Repo, int Number, string Id)>();
        foreach (var repo in await RepositoriesAsync(ct))
        {
            var count = await PageAsync(null, async c =>
            {
                var data = await Client.QueryAsync($"query($o: String!, $n: String!, $c: String) {{ repository(owner: $o, name: $n) {{ pullRequests(first: 100, after: $c, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{ {Info} nodes {{ {PrFields} }} }} }} }}",
                    new { o = Owner, n = repo, c }, ct);
                var conn = data.GetProperty("repository").GetProperty("pullRequests");
                foreach (var pr in conn.GetProperty("nodes").EnumerateArray())
                {
                    prs.Add((repo, pr.GetProperty("number").GetInt32(), pr.GetProperty("id").GetString()!));
                    shape.PullRequests[pr.GetProperty("id").GetString()!] = new PrShape { Repository = repo, Number = pr.GetProperty("number").GetInt32() };
                }
                return conn;
            });
            shape.PullRequestsPerRepository[repo] = count;
        }

        // Step 2: commits, PR by PR.
        await System.Threading.Tasks.Parallel.ForEachAsync(prs, Parallel(ct), async (pr, token) =>
            shape.PullRequests[pr.Id].Commits = await PageAsync(null, async c => PullRequest(await Client.QueryAsync(
                $"query($o: String!, $n: String!, $p: Int!, $c: String) {{ repository(owner: $o, name: $n) {{ pullRequest(number: $p) {{ commits(first: 100, after: $c) {{ {Info} nodes {{ {CommitFields} }} }} }} }} }}",
                new { o = Owner, n = pr.Repo, p = pr.Number, c }, token)).GetProperty("commits")));

        // Step 3: reviews, PR by PR.
        await System.Threading.Tasks.Parallel.ForEachAsync(prs, Parallel(ct), async (pr, token) =>
            shape.PullRequests[pr.Id].Reviews = await PageAsync(null, async c => PullRequest(await Client.QueryAsync(
                $"query($o: String!, $n: String!, $p: Int!, $c: String) {{ repository(owner: $o, name: $n) {{ pullRequest(number: $p) {{ reviews(first: 100, after: $c) {{ {Info} nodes {{ {ReviewFields} }} }} }} }} }}",
                new { o = Owner, n = pr.Repo, p = pr.Number, c }, token)).GetProperty("reviews")));

        // Step 5 (issue 13): each PR's lifecycle events and labels, PR by PR, as the seed pages its other connections.
        await System.Threading.Tasks.Parallel.ForEachAsync(prs, Parallel(ct), async (pr, token) =>
        {
            var target = shape.PullRequests[pr.Id];
            target.TimelineEvents = await PageAsync(null, async c => PullRequest(await Client.QueryAsync(
                $"query($o: String!, $n: String!, $p: Int!, $c: String) {{ repository(owner: $o, name: $n) {{ pullRequest(number: $p) {{ timelineItems(first: 100, after: $c, itemTypes: [{TimelineTypes}]) {{ {Info} nodes {{ {TimelineFields} }} }} }} }} }}",
                new { o = Owner, n = pr.Repo, p = pr.Number, c }, token)).GetProperty("timelineItems"));
            target.Labels = await PageAsync(null, async c => PullRequest(await Client.QueryAsync(
                $"query($o: String!, $n: String!, $p: Int!, $c: String) {{ repository(owner: $o, name: $n) {{ pullRequest(number: $p) {{ labels(first: 100, after: $c) {{ {Info} nodes {{ id name }} }} }} }} }}",
                new { o = Owner, n = pr.Repo, p = pr.Number, c }, token)).GetProperty("labels"));
        });

        // Step 4: comments, PR by PR: issue comments and review threads (each with its comments) in one query (102 requests: 1 point).
        await System.Threading.Tasks.Parallel.ForEachAsync(prs, Parallel(ct), async (pr, token) =>
        {
            var target = shape.PullRequests[pr.Id];
            var first = PullRequest(await Client.QueryAsync(
                $"query($o: String!, $n: String!, $p: Int!) {{ repository(owner: $o, name: $n) {{ pullRequest(number: $p) {{ comments(first: 100) {{ {Info} nodes {{ {CommentFields} }} }} reviewThreads(first: 100) {{ {Info} nodes {{ {ThreadFields} comments(first: 100) {{ {Info} nodes {{ {ReviewCommentFields} }} }} }} }} }} }} }}",
                new { o = Owner, n = pr.Repo, p = pr.Number }, token));
            var comments = first.GetProperty("comments");
            target.Comments = comments.GetProperty("nodes").GetArrayLength();
            if (Next(comments) is { } more)
                target.Comments += await PageAsync(more, async c => PullRequest(await Client.QueryAsync(
                    $"query($o: String!, $n: String!, $p: Int!, $c: String) {{ repository(owner: $o, name: $n) {{ pullRequest(number: $p) {{ comments(first: 100, after: $c) {{ {Info} nodes {{ {CommentFields} }} }} }} }} }}",
                    new { o = Owner, n = pr.Repo, p = pr.Number, c }, token)).GetProperty("comments"));
            var threads = first.GetProperty("reviewThreads");
            while (true)
            {
                foreach (var thread in threads.GetProperty("nodes").EnumerateArray())
                {
                    target.Threads++;
                    var tc = thread.GetProperty("comments");
                    var n = (long)tc.GetProperty("nodes").GetArrayLength();
                    if (Next(tc) is { } cursor)
                        n += await PageAsync(cursor, async c => (await Client.QueryAsync(
                            $"query($i: ID!, $c: String) {{ node(id: $i) {{ ... on PullRequestReviewThread {{ comments(first: 100, after: $c) {{ {Info} nodes {{ {ReviewCommentFields} }} }} }} }} }}",
                            new { i = thread.GetProperty("id").GetString(), c }, token)).GetProperty("node").GetProperty("comments"));
                    target.ThreadComments.Add(n);
                }
                if (Next(threads) is not { } after) break;
                threads = PullRequest(await Client.QueryAsync(
                    $"query($o: String!, $n: String!, $p: Int!, $c: String) {{ repository(owner: $o, name: $n) {{ pullRequest(number: $p) {{ reviewThreads(first: 100, after: $c) {{ {Info} nodes {{ {ThreadFields} comments(first: 100) {{ {Info} nodes {{ {ReviewCommentFields} }} }} }} }} }} }} }}",
                    new { o = Owner, n = pr.Repo, p = pr.Number, c = after }, token)).GetProperty("reviewThreads");
            }
        });
        return shape;
    }

    private static JsonElement PullRequest(JsonElement data) => data.GetProperty("repository").GetProperty("pullRequest");
}

/// <summary>
/// (b) The original's shipped strategy (reference/original-system.md §2): pages of 50 PRs with the first 50
/// commits, reviews, comments and reviewThreads nested (201 requests: 2 points a page), then one follow-up
/// query per PR per connection with hasNextPage (getMore…ForPr via node(id), 50 a page). As shipped it never
/// fetches review-thread comments; <see cref="ThreadCommentsAsync"/> completes them the same way, one
/// follow-up query per thread, and is counted separately.
/// </summary>
public sealed class OriginalBaseline(GraphQLHttp client, string owner, int parallelism) : Baseline(client, owner, parallelism)
{
    private const int N = 50;
    private const string Info = "pageInfo { hasNextPage endCursor }";
    private static readonly (string Name, string Selection)[] Connections =
    [
        ("commits", "commit { oid message author { name email date } }"),
        ("reviews", "id state author { login } createdAt"),
        ("comments", "id body author { login } createdAt"),
        ("reviewThreads", "id isResolved"),
    ];

    private readonly List<string> _threads = [];

    public override async Task<DataShape> RunAsync(CancellationToken ct)
    {
        var shape = new DataShape();
        var followUps = new List<(string PrId, int Connection, string Cursor)>();
        var nested = string.Join(" ", Connections.Select(c => $"{c.Name}(first: {N}) {{ {Info} nodes {{ {c.Selection} }} }}"));
        foreach (var repo in await RepositoriesAsync(ct))
        {
            var count = await PageAsync(null, async cursor =>
            {
                var data = await Client.QueryAsync(
                    $"query getPrBatchWithDetails($owner: String!, $repoName: String!, $prCursor: String) {{ repository(owner: $owner, name: $repoName) {{ pullRequests(first: {N}, after: $prCursor, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{ {Info} nodes {{ id number title body state createdAt updatedAt mergedAt author {{ login }} {nested} }} }} }} rateLimit {{ remaining resetAt }} }}",
                    new { owner = Owner, repoName = repo, prCursor = cursor }, ct);
                var conn = data.GetProperty("repository").GetProperty("pullRequests");
                foreach (var pr in conn.GetProperty("nodes").EnumerateArray())
                {
                    var id = pr.GetProperty("id").GetString()!;
                    var target = new PrShape { Repository = repo, Number = pr.GetProperty("number").GetInt32() };
                    shape.PullRequests[id] = target;
                    for (var i = 0; i < Connections.Length; i++)
                    {
                        var c = pr.GetProperty(Connections[i].Name);
                        Add(target, i, c.GetProperty("nodes").GetArrayLength());
                        if (i == 3) lock (_threads) _threads.AddRange(c.GetProperty("nodes").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
                        if (Next(c) is { } more) followUps.Add((id, i, more));
                    }
                }
                return conn;
            });
            shape.PullRequestsPerRepository[repo] = count;
        }

        await System.Threading.Tasks.Parallel.ForEachAsync(followUps, Parallel(ct), async (f, token) =>
        {
            var (name, selection) = Connections[f.Connection];
            var items = await PageAsync(f.Cursor, async cursor =>
            {
                var conn = (await Client.QueryAsync(
                    $"query getMore($prNodeId: ID!, $cursor: String) {{ node(id: $prNodeId) {{ ... on PullRequest {{ {name}(first: {N}, after: $cursor) {{ {Info} nodes {{ {selection} }} }} }} }} rateLimit {{ remaining resetAt }} }}",
                    new { prNodeId = f.PrId, cursor }, token)).GetProperty("node").GetProperty(name);
                if (f.Connection == 3) lock (_threads) _threads.AddRange(conn.GetProperty("nodes").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
                return conn;
            });
            lock (shape) Add(shape.PullRequests[f.PrId], f.Connection, items);
        });
        _shape = shape;
        return shape;
    }

    private DataShape? _shape;

    /// <summary>Review-thread comments, which the original never fetched: one follow-up query per thread (and per further page).</summary>
    public async Task ThreadCommentsAsync(CancellationToken ct)
    {
        await System.Threading.Tasks.Parallel.ForEachAsync(_threads, Parallel(ct), async (thread, token) =>
        {
            string? prId = null;
            var items = await PageAsync(null, async cursor =>
            {
                var node = (await Client.QueryAsync(
                    $"query getThreadComments($threadId: ID!, $cursor: String) {{ node(id: $threadId) {{ ... on PullRequestReviewThread {{ pullRequest {{ id }} comments(first: {N}, after: $cursor) {{ {Info} nodes {{ id body author {{ login }} createdAt path line replyTo {{ id }} }} }} }} }} rateLimit {{ remaining resetAt }} }}",
                    new { threadId = thread, cursor }, token)).GetProperty("node");
                prId = node.GetProperty("pullRequest").GetProperty("id").GetString();
                return node.GetProperty("comments");
            });
            _shape!.PullRequests[prId!].ThreadComments.Add(items);
        });
    }

    private static void Add(PrShape pr, int connection, long items)
    {
        switch (connection)
        {
            case 0: pr.Commits += items; break;
            case 1: pr.Reviews += items; break;
            case 2: pr.Comments += items; break;
            default: pr.Threads += items; break;
        }
    }
}
