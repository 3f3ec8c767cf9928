using System.Data;
using System.Data.Common;
using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>
/// Idempotent upserts of a batch's relational rows, inside the caller's transaction: insert, or on a known key update every
/// column. Every row is stamped with the run that saw it, so an incremental run can remove what GitHub no longer has. Rows of a
/// table go to the database together (<see cref="SqlDialect.RunManyAsync"/>), in order, so a repeated key ends as its last copy.
/// </summary>
internal sealed class RowWriter(SqlDialect dialect, DbConnection c, DbTransaction tx, long tenantId, long runId, CancellationToken ct, SearchTexts? texts = null)
{
    private const string MissingPullRequest = "Pull request {0} is not stored yet: its listing page failed or was never fetched.";

    private readonly Dictionary<string, long> _prIds = [];
    /// <summary>PRs this writer wrote (this run's rows): a parent copy of one is not sent at all.</summary>
    private readonly HashSet<string> _writtenPrs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _threadIds = [];
    private readonly SearchTexts _texts = texts ?? SearchTexts.None;

    public async Task<IReadOnlyList<long>> PullRequestsAsync(IReadOnlyList<PullRequestRow> rows)
    {
        var ids = await RunAsync(RowSql.PullRequest, rows.Select(PullRequestValues).ToList());
        for (var i = 0; i < rows.Count; i++)
        {
            _prIds[rows[i].NodeId] = ids[i];
            _writtenPrs.Add(rows[i].NodeId);
        }
        await IndexAsync(rows.Select((pr, i) => SearchDocuments.PullRequest(tenantId, ids[i], pr, _texts.For(pr))));
        return ids;
    }

    /// <summary>
    /// PR rows that came along with a page of the PR's events or labels, so those rows find their PR even when the PR's listing
    /// page is written later. They stand in for the listing's row and never rewrite a row this run already wrote: most PRs come
    /// back this way twice more in a run (17,500 copies of 10,000 PRs in a bench-org full sync), each a rewrite of the row and a
    /// comparison of its search document's text.
    /// </summary>
    public async Task ParentPullRequestsAsync(IReadOnlyList<PullRequestRow> rows)
    {
        // A repeated PR ends as its last copy, as every write of a batch does.
        var absent = rows.Where(pr => !_writtenPrs.Contains(pr.NodeId)).GroupBy(pr => pr.NodeId).Select(g => g.Last()).ToList();
        if (absent.Count == 0) return;
        var ids = await dialect.RunManyAsync(c, tx, RowSql.ParentPullRequest, absent.Select(PullRequestValues).ToList(), ct);
        var written = new List<object?[]>();
        for (var i = 0; i < absent.Count; i++)
        {
            if (ids[i] is not { } id) continue;
            _prIds[absent[i].NodeId] = id;
            _writtenPrs.Add(absent[i].NodeId);
            written.Add(SearchDocuments.PullRequest(tenantId, id, absent[i], _texts.For(absent[i])));
        }
        await IndexAsync(written);
        // The ids of the rows left alone.
        await ResolveAsync("prs", _prIds, absent.Select(pr => pr.NodeId), MissingPullRequest);
    }

    private object?[] PullRequestValues(PullRequestRow pr) =>
    [
        tenantId, pr.RepositoryId, pr.NodeId, pr.DatabaseId, (long)pr.Number, pr.Title, pr.Body, pr.Url, pr.State, pr.IsDraft, pr.AuthorLogin, pr.AuthorType,
        pr.MergedByLogin, pr.BaseRefName, pr.HeadRefName, pr.BaseRefOid, pr.HeadRefOid, (long)pr.Additions, (long)pr.Deletions, (long)pr.ChangedFiles,
        pr.CreatedAt, pr.UpdatedAt, pr.ClosedAt, pr.MergedAt, (long)pr.CommitsTotal, (long)pr.ReviewsTotal, (long)pr.CommentsTotal,
        (long)pr.ReviewThreadsTotal, pr.ContentHash, runId,
    ];

    public async Task<IReadOnlyList<long>> CommitsAsync(IReadOnlyList<CommitRow> rows)
    {
        await ResolveAsync("prs", _prIds, rows.Select(r => r.PullRequestNodeId), MissingPullRequest);
        var ids = await RunAsync(RowSql.Commit, rows.Select(x => new object?[]
        {
            tenantId, _prIds[x.PullRequestNodeId], x.Oid, x.Message, x.AuthorName, x.AuthorEmail, x.AuthorLogin, x.CommitterName, x.CommitterEmail,
            x.CommitterLogin, x.AuthoredDate, x.CommittedDate, (long?)x.Additions, (long?)x.Deletions, x.ContentHash, runId,
        }).ToList());
        await IndexAsync(rows.Select((x, i) => SearchDocuments.Commit(tenantId, ids[i], _prIds[x.PullRequestNodeId], x, _texts.For(x))));
        return ids;
    }

    /// <summary>
    /// Commits unchanged since Pulse fetched them (<see cref="Pulse.Core.Extract.RawUnit.Kept"/>): marked as seen by this run, as if written again,
    /// so the step's sweep keeps them.
    /// </summary>
    public async Task KeepCommitsAsync(IReadOnlyList<string> pullRequestNodeIds)
    {
        if (pullRequestNodeIds.Count == 0) return;
        await ResolveAsync("prs", _prIds, pullRequestNodeIds, MissingPullRequest);
        await c.ExecuteAsync($"UPDATE prs_commits SET last_seen_run_id = @runId WHERE {dialect.In("pr_id", "@prs")}",
            new { runId, prs = dialect.List(pullRequestNodeIds.Select(n => _prIds[n]).Distinct().ToList()) }, tx);
    }

    public async Task<IReadOnlyList<long>> ReviewsAsync(IReadOnlyList<ReviewRow> rows)
    {
        await ResolveAsync("prs", _prIds, rows.Select(r => r.PullRequestNodeId), MissingPullRequest);
        var ids = await RunAsync(RowSql.Review, rows.Select(x => new object?[]
        {
            tenantId, _prIds[x.PullRequestNodeId], x.NodeId, x.DatabaseId, x.AuthorLogin, x.AuthorType, x.State, x.Body, x.CreatedAt, x.SubmittedAt,
            x.UpdatedAt, x.CommitOid, x.ContentHash, runId,
        }).ToList());
        await IndexAsync(rows.Select((x, i) => SearchDocuments.Review(tenantId, ids[i], _prIds[x.PullRequestNodeId], x, _texts.For(x))));
        return ids;
    }

    public async Task ThreadsAsync(IReadOnlyList<ReviewThreadRow> rows)
    {
        await ResolveAsync("prs", _prIds, rows.Select(r => r.PullRequestNodeId), MissingPullRequest);
        var ids = await RunAsync(RowSql.Thread, rows.Select(x => new object?[]
        {
            tenantId, _prIds[x.PullRequestNodeId], x.NodeId, x.IsResolved, x.IsOutdated, x.IsCollapsed, x.Path, (long?)x.Line, (long?)x.StartLine, x.DiffSide,
            x.ResolvedByLogin, runId,
        }).ToList());
        for (var i = 0; i < rows.Count; i++) _threadIds[rows[i].NodeId] = ids[i];
    }

    /// <summary>The review keys are filled by the comments step's sweep (<see cref="RunSweep"/>), once every review of the run is in.</summary>
    public async Task<IReadOnlyList<long>> CommentsAsync(IReadOnlyList<CommentRow> rows)
    {
        await ResolveAsync("prs", _prIds, rows.Select(r => r.PullRequestNodeId), MissingPullRequest);
        await ResolveAsync("prs_review_threads", _threadIds, rows.Where(r => r.ThreadNodeId is not null).Select(r => r.ThreadNodeId!), "Review thread {0} is not stored yet.");
        var ids = await RunAsync(RowSql.Comment, rows.Select(x => new object?[]
        {
            tenantId, _prIds[x.PullRequestNodeId], x.NodeId, x.DatabaseId, x.CommentType, x.ThreadNodeId is null ? null : _threadIds[x.ThreadNodeId], x.ReviewNodeId,
            x.AuthorLogin, x.AuthorType, x.Body, x.CreatedAt, x.UpdatedAt, x.Path, (long?)x.Line, (long?)x.OriginalLine, x.DiffHunk, x.ReplyToNodeId, x.ContentHash, runId,
        }).ToList());
        await IndexAsync(rows.Select((x, i) => SearchDocuments.Comment(tenantId, ids[i], _prIds[x.PullRequestNodeId], x, _texts.For(x))));
        return ids;
    }

    /// <summary>The rows' keyword documents, after the rows (their ids); in key order, as every writer takes them.</summary>
    private Task IndexAsync(IEnumerable<object?[]> documents) =>
        dialect.RunManyAsync(c, tx, SearchDocuments.Upsert, documents.OrderBy(d => (long)d[2]!).ToList(), ct);

    public async Task TimelineEventsAsync(IReadOnlyList<TimelineEventRow> rows)
    {
        await ResolveAsync("prs", _prIds, rows.Select(r => r.PullRequestNodeId), MissingPullRequest);
        await RunAsync(RowSql.TimelineEvent, rows.Select(x => new object?[]
        {
            tenantId, _prIds[x.PullRequestNodeId], x.NodeId, x.EventType, x.ActorLogin, x.ActorType, x.RequestedReviewer, x.RequestedReviewerType,
            x.BeforeCommitOid, x.AfterCommitOid, x.CreatedAt, runId,
        }).ToList());
    }

    public async Task LabelsAsync(IReadOnlyList<LabelRow> rows)
    {
        await ResolveAsync("prs", _prIds, rows.Select(r => r.PullRequestNodeId), MissingPullRequest);
        await RunAsync(RowSql.Label, rows.Select(x => new object?[] { tenantId, _prIds[x.PullRequestNodeId], x.NodeId, x.Name, runId }).ToList());
    }

    private async Task<IReadOnlyList<long>> RunAsync(SqlBatch batch, IReadOnlyList<object?[]> rows) =>
        rows.Count == 0 ? [] : (await dialect.RunManyAsync(c, tx, batch, rows, ct)).Select(id => id ?? throw new InvalidOperationException("An upsert returned no id.")).ToList();

    /// <summary>Keys of parents written by an earlier batch or transaction, looked up once per batch.</summary>
    private async Task ResolveAsync(string table, Dictionary<string, long> known, IEnumerable<string> nodeIds, string missingMessage)
    {
        var missing = nodeIds.Where(n => !known.ContainsKey(n)).Distinct().ToList();
        if (missing.Count == 0) return;
        foreach (var (node, id) in await c.QueryAsync<(string, long)>(
                     $"SELECT node_id, id FROM {table} WHERE tenant_id = @tenantId AND {dialect.In("node_id", "@missing")}", new { tenantId, missing = dialect.List(missing) }, tx))
            known[node] = id;
        if (missing.FirstOrDefault(n => !known.ContainsKey(n)) is { } absent) throw new InvalidDataException(string.Format(System.Globalization.CultureInfo.InvariantCulture, missingMessage, absent));
    }
}

/// <summary>The upserts of <see cref="RowWriter"/>: insert, or on a known key update every column and stamp the run.</summary>
internal static class RowSql
{
    private static (string, DbType) L(string n) => (n, DbType.Int64);
    private static (string, DbType) S(string n) => (n, DbType.String);
    private static (string, DbType) B(string n) => (n, DbType.Boolean);
    private static (string, DbType) T(string n) => (n, DbType.DateTimeOffset);

    private const string PullRequestUpsert = """
        INSERT INTO prs (tenant_id, repository_id, node_id, database_id, number, title, body, url, state, is_draft, author_login, author_type,
          merged_by_login, base_ref_name, head_ref_name, base_ref_oid, head_ref_oid, additions, deletions, changed_files, created_at, updated_at,
          closed_at, merged_at, commits_total, reviews_total, comments_total, review_threads_total, content_hash, last_seen_run_id)
        VALUES (@tenantId, @repositoryId, @nodeId, @databaseId, @number, @title, @body, @url, @state, @isDraft, @authorLogin, @authorType,
          @mergedBy, @baseRef, @headRef, @baseOid, @headOid, @additions, @deletions, @changedFiles, @createdAt, @updatedAt,
          @closedAt, @mergedAt, @commitsTotal, @reviewsTotal, @commentsTotal, @threadsTotal, @hash, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          repository_id = excluded.repository_id, database_id = excluded.database_id, number = excluded.number, title = excluded.title,
          body = excluded.body, url = excluded.url, state = excluded.state, is_draft = excluded.is_draft, author_login = excluded.author_login,
          author_type = excluded.author_type, merged_by_login = excluded.merged_by_login, base_ref_name = excluded.base_ref_name,
          head_ref_name = excluded.head_ref_name, base_ref_oid = excluded.base_ref_oid, head_ref_oid = excluded.head_ref_oid,
          additions = excluded.additions, deletions = excluded.deletions, changed_files = excluded.changed_files, created_at = excluded.created_at,
          updated_at = excluded.updated_at, closed_at = excluded.closed_at, merged_at = excluded.merged_at, commits_total = excluded.commits_total,
          reviews_total = excluded.reviews_total, comments_total = excluded.comments_total, review_threads_total = excluded.review_threads_total,
          content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
        """;

    private static readonly (string, DbType)[] PullRequestParameters =
        [L("tenantId"), L("repositoryId"), S("nodeId"), L("databaseId"), L("number"), S("title"), S("body"), S("url"), S("state"), B("isDraft"),
            S("authorLogin"), S("authorType"), S("mergedBy"), S("baseRef"), S("headRef"), S("baseOid"), S("headOid"), L("additions"), L("deletions"),
            L("changedFiles"), T("createdAt"), T("updatedAt"), T("closedAt"), T("mergedAt"), L("commitsTotal"), L("reviewsTotal"), L("commentsTotal"),
            L("threadsTotal"), S("hash"), L("runId")];

    public static readonly SqlBatch PullRequest = new("row.pr", PullRequestUpsert + " RETURNING id", PullRequestParameters);

    // A row this run wrote is left alone, and then returns no id.
    public static readonly SqlBatch ParentPullRequest = new("row.pr_parent",
        PullRequestUpsert + " WHERE prs.last_seen_run_id IS DISTINCT FROM excluded.last_seen_run_id RETURNING id", PullRequestParameters);

    public static readonly SqlBatch TimelineEvent = new("row.timeline_event", """
        INSERT INTO prs_timeline_events (tenant_id, pr_id, node_id, event_type, actor_login, actor_type, requested_reviewer, requested_reviewer_type,
          before_commit_oid, after_commit_oid, created_at, last_seen_run_id)
        VALUES (@tenantId, @prId, @nodeId, @type, @actorLogin, @actorType, @reviewer, @reviewerType, @beforeOid, @afterOid, @createdAt, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, event_type = excluded.event_type, actor_login = excluded.actor_login, actor_type = excluded.actor_type,
          requested_reviewer = excluded.requested_reviewer, requested_reviewer_type = excluded.requested_reviewer_type,
          before_commit_oid = excluded.before_commit_oid, after_commit_oid = excluded.after_commit_oid, created_at = excluded.created_at,
          last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, [L("tenantId"), L("prId"), S("nodeId"), S("type"), S("actorLogin"), S("actorType"), S("reviewer"), S("reviewerType"), S("beforeOid"),
            S("afterOid"), T("createdAt"), L("runId")]);

    public static readonly SqlBatch Label = new("row.label", """
        INSERT INTO prs_labels (tenant_id, pr_id, node_id, name, last_seen_run_id) VALUES (@tenantId, @prId, @nodeId, @name, @runId)
        ON CONFLICT (tenant_id, pr_id, node_id) DO UPDATE SET name = excluded.name, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, [L("tenantId"), L("prId"), S("nodeId"), S("name"), L("runId")]);

    public static readonly SqlBatch Commit = new("row.commit", """
        INSERT INTO prs_commits (tenant_id, pr_id, oid, message, author_name, author_email, author_login, committer_name, committer_email,
          committer_login, authored_date, committed_date, additions, deletions, content_hash, last_seen_run_id)
        VALUES (@tenantId, @prId, @oid, @message, @authorName, @authorEmail, @authorLogin, @committerName, @committerEmail,
          @committerLogin, @authoredDate, @committedDate, @additions, @deletions, @hash, @runId)
        ON CONFLICT (tenant_id, pr_id, oid) DO UPDATE SET
          message = excluded.message, author_name = excluded.author_name, author_email = excluded.author_email, author_login = excluded.author_login,
          committer_name = excluded.committer_name, committer_email = excluded.committer_email, committer_login = excluded.committer_login,
          authored_date = excluded.authored_date, committed_date = excluded.committed_date, additions = excluded.additions,
          deletions = excluded.deletions, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, [L("tenantId"), L("prId"), S("oid"), S("message"), S("authorName"), S("authorEmail"), S("authorLogin"), S("committerName"), S("committerEmail"),
            S("committerLogin"), T("authoredDate"), T("committedDate"), L("additions"), L("deletions"), S("hash"), L("runId")]);

    public static readonly SqlBatch Review = new("row.review", """
        INSERT INTO prs_reviews (tenant_id, pr_id, node_id, database_id, author_login, author_type, state, body, created_at, submitted_at,
          updated_at, commit_oid, content_hash, last_seen_run_id)
        VALUES (@tenantId, @prId, @nodeId, @databaseId, @authorLogin, @authorType, @state, @body, @createdAt, @submittedAt,
          @updatedAt, @commitOid, @hash, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, database_id = excluded.database_id, author_login = excluded.author_login, author_type = excluded.author_type,
          state = excluded.state, body = excluded.body, created_at = excluded.created_at, submitted_at = excluded.submitted_at,
          updated_at = excluded.updated_at, commit_oid = excluded.commit_oid, content_hash = excluded.content_hash,
          last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, [L("tenantId"), L("prId"), S("nodeId"), L("databaseId"), S("authorLogin"), S("authorType"), S("state"), S("body"), T("createdAt"), T("submittedAt"),
            T("updatedAt"), S("commitOid"), S("hash"), L("runId")]);

    public static readonly SqlBatch Thread = new("row.thread", """
        INSERT INTO prs_review_threads (tenant_id, pr_id, node_id, is_resolved, is_outdated, is_collapsed, path, line, start_line, diff_side,
          resolved_by_login, last_seen_run_id)
        VALUES (@tenantId, @prId, @nodeId, @isResolved, @isOutdated, @isCollapsed, @path, @line, @startLine, @diffSide, @resolvedBy, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, is_resolved = excluded.is_resolved, is_outdated = excluded.is_outdated, is_collapsed = excluded.is_collapsed,
          path = excluded.path, line = excluded.line, start_line = excluded.start_line, diff_side = excluded.diff_side,
          resolved_by_login = excluded.resolved_by_login, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, [L("tenantId"), L("prId"), S("nodeId"), B("isResolved"), B("isOutdated"), B("isCollapsed"), S("path"), L("line"), L("startLine"), S("diffSide"),
            S("resolvedBy"), L("runId")]);

    public static readonly SqlBatch Comment = new("row.comment", """
        INSERT INTO prs_comments (tenant_id, pr_id, node_id, database_id, comment_type, thread_id, review_id, review_node_id, author_login,
          author_type, body, created_at, updated_at, path, line, original_line, diff_hunk, reply_to_node_id, content_hash, last_seen_run_id)
        VALUES (@tenantId, @prId, @nodeId, @databaseId, @type, @threadId, NULL, @reviewNodeId, @authorLogin,
          @authorType, @body, @createdAt, @updatedAt, @path, @line, @originalLine, @diffHunk, @replyTo, @hash, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, database_id = excluded.database_id, comment_type = excluded.comment_type, thread_id = excluded.thread_id,
          review_id = excluded.review_id, review_node_id = excluded.review_node_id, author_login = excluded.author_login,
          author_type = excluded.author_type, body = excluded.body, created_at = excluded.created_at, updated_at = excluded.updated_at,
          path = excluded.path, line = excluded.line, original_line = excluded.original_line, diff_hunk = excluded.diff_hunk,
          reply_to_node_id = excluded.reply_to_node_id, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, [L("tenantId"), L("prId"), S("nodeId"), L("databaseId"), S("type"), L("threadId"), S("reviewNodeId"), S("authorLogin"),
            S("authorType"), S("body"), T("createdAt"), T("updatedAt"), S("path"), L("line"), L("originalLine"), S("diffHunk"), S("replyTo"), S("hash"), L("runId")]);
}
