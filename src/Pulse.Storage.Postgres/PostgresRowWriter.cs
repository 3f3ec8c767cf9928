using System.Data;
using Dapper;
using Pulse.Core.Transform;

namespace Pulse.Storage.Postgres;

/// <summary>
/// Idempotent upserts of the relational rows inside the caller's transaction, stamped with the run
/// that saw them. Commits and comments (the many rows) go in one multi-row statement per table.
/// </summary>
internal sealed class PostgresRowWriter(IDbConnection c, IDbTransaction tx, long tenantId, long runId)
{
    private readonly Dictionary<string, long> _prIds = [];
    private readonly Dictionary<string, long> _threadIds = [];

    public Task<long> UpsertPullRequestAsync(PullRequestRow pr) => c.ExecuteScalarAsync<long>("""
        INSERT INTO prs (tenant_id, repository_id, node_id, database_id, number, title, body, url, state, is_draft, author_login, author_type,
          merged_by_login, base_ref_name, head_ref_name, base_ref_oid, head_ref_oid, additions, deletions, changed_files, created_at, updated_at,
          closed_at, merged_at, commits_total, reviews_total, comments_total, review_threads_total, content_hash, last_seen_run_id)
        VALUES (@tenantId, @RepositoryId, @NodeId, @DatabaseId, @Number, @Title, @Body, @Url, @State, @IsDraft, @AuthorLogin, @AuthorType,
          @MergedByLogin, @BaseRefName, @HeadRefName, @BaseRefOid, @HeadRefOid, @Additions, @Deletions, @ChangedFiles, @CreatedAt, @UpdatedAt,
          @ClosedAt::timestamptz, @MergedAt::timestamptz, @CommitsTotal, @ReviewsTotal, @CommentsTotal, @ReviewThreadsTotal, @ContentHash, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          repository_id = excluded.repository_id, database_id = excluded.database_id, number = excluded.number, title = excluded.title,
          body = excluded.body, url = excluded.url, state = excluded.state, is_draft = excluded.is_draft, author_login = excluded.author_login,
          author_type = excluded.author_type, merged_by_login = excluded.merged_by_login, base_ref_name = excluded.base_ref_name,
          head_ref_name = excluded.head_ref_name, base_ref_oid = excluded.base_ref_oid, head_ref_oid = excluded.head_ref_oid,
          additions = excluded.additions, deletions = excluded.deletions, changed_files = excluded.changed_files, created_at = excluded.created_at,
          updated_at = excluded.updated_at, closed_at = excluded.closed_at, merged_at = excluded.merged_at, commits_total = excluded.commits_total,
          reviews_total = excluded.reviews_total, comments_total = excluded.comments_total, review_threads_total = excluded.review_threads_total,
          content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, Args(pr with { CreatedAt = Pg.Utc(pr.CreatedAt), UpdatedAt = Pg.Utc(pr.UpdatedAt), ClosedAt = Pg.Utc(pr.ClosedAt), MergedAt = Pg.Utc(pr.MergedAt) }), tx);

    /// <summary>All commits of the batch in one statement (the last copy of a repeated (PR, oid) wins, as sequential upserts would).</summary>
    public async Task<IReadOnlyList<long>> UpsertCommitsAsync(IReadOnlyList<CommitRow> commits)
    {
        if (commits.Count == 0) return [];
        await ResolvePullRequestsAsync(commits.Select(x => x.PullRequestNodeId));
        var rows = commits.GroupBy(x => (x.PullRequestNodeId, x.Oid)).Select(g => g.Last()).OrderBy(x => _prIds[x.PullRequestNodeId]).ThenBy(x => x.Oid, StringComparer.Ordinal).ToList();
        return (await c.QueryAsync<long>("""
            INSERT INTO prs_commits (tenant_id, pr_id, oid, message, author_name, author_email, author_login, committer_name, committer_email,
              committer_login, authored_date, committed_date, additions, deletions, content_hash, last_seen_run_id)
            SELECT @tenantId, u.* , @runId FROM unnest(@prIds, @oids, @messages, @authorNames, @authorEmails, @authorLogins, @committerNames, @committerEmails,
              @committerLogins, @authoredDates::timestamptz[], @committedDates::timestamptz[], @additions::int[], @deletions::int[], @hashes) AS u
            ON CONFLICT (tenant_id, pr_id, oid) DO UPDATE SET
              message = excluded.message, author_name = excluded.author_name, author_email = excluded.author_email, author_login = excluded.author_login,
              committer_name = excluded.committer_name, committer_email = excluded.committer_email, committer_login = excluded.committer_login,
              authored_date = excluded.authored_date, committed_date = excluded.committed_date, additions = excluded.additions,
              deletions = excluded.deletions, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
            RETURNING id
            """, new
            {
                tenantId, runId,
                prIds = rows.Select(x => _prIds[x.PullRequestNodeId]).ToArray(),
                oids = rows.Select(x => x.Oid).ToArray(),
                messages = rows.Select(x => x.Message).ToArray(),
                authorNames = rows.Select(x => x.AuthorName).ToArray(),
                authorEmails = rows.Select(x => x.AuthorEmail).ToArray(),
                authorLogins = rows.Select(x => x.AuthorLogin).ToArray(),
                committerNames = rows.Select(x => x.CommitterName).ToArray(),
                committerEmails = rows.Select(x => x.CommitterEmail).ToArray(),
                committerLogins = rows.Select(x => x.CommitterLogin).ToArray(),
                authoredDates = rows.Select(x => x.AuthoredDate?.UtcDateTime).ToArray(),
                committedDates = rows.Select(x => x.CommittedDate?.UtcDateTime).ToArray(),
                additions = rows.Select(x => x.Additions).ToArray(),
                deletions = rows.Select(x => x.Deletions).ToArray(),
                hashes = rows.Select(x => x.ContentHash).ToArray(),
            }, tx)).ToList();
    }

    public async Task<long> UpsertReviewAsync(ReviewRow review) => await c.ExecuteScalarAsync<long>("""
        INSERT INTO prs_reviews (tenant_id, pr_id, node_id, database_id, author_login, author_type, state, body, created_at, submitted_at,
          updated_at, commit_oid, content_hash, last_seen_run_id)
        VALUES (@tenantId, @prId, @NodeId, @DatabaseId, @AuthorLogin, @AuthorType, @State, @Body, @CreatedAt, @SubmittedAt::timestamptz,
          @UpdatedAt::timestamptz, @CommitOid, @ContentHash, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, database_id = excluded.database_id, author_login = excluded.author_login, author_type = excluded.author_type,
          state = excluded.state, body = excluded.body, created_at = excluded.created_at, submitted_at = excluded.submitted_at,
          updated_at = excluded.updated_at, commit_oid = excluded.commit_oid, content_hash = excluded.content_hash,
          last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, Args(review with { CreatedAt = Pg.Utc(review.CreatedAt), SubmittedAt = Pg.Utc(review.SubmittedAt), UpdatedAt = Pg.Utc(review.UpdatedAt) },
            await PullRequestIdAsync(review.PullRequestNodeId)), tx);

    public async Task UpsertThreadAsync(ReviewThreadRow thread)
    {
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO prs_review_threads (tenant_id, pr_id, node_id, is_resolved, is_outdated, is_collapsed, path, line, start_line, diff_side,
              resolved_by_login, last_seen_run_id)
            VALUES (@tenantId, @prId, @NodeId, @IsResolved, @IsOutdated, @IsCollapsed, @Path, @Line, @StartLine, @DiffSide, @ResolvedByLogin, @runId)
            ON CONFLICT (tenant_id, node_id) DO UPDATE SET
              pr_id = excluded.pr_id, is_resolved = excluded.is_resolved, is_outdated = excluded.is_outdated, is_collapsed = excluded.is_collapsed,
              path = excluded.path, line = excluded.line, start_line = excluded.start_line, diff_side = excluded.diff_side,
              resolved_by_login = excluded.resolved_by_login, last_seen_run_id = excluded.last_seen_run_id
            RETURNING id
            """, Args(thread, await PullRequestIdAsync(thread.PullRequestNodeId)), tx);
        _threadIds[thread.NodeId] = id;
    }

    /// <summary>All comments of the batch in one statement; their review keys are filled by the comments step's sweep (<see cref="PostgresRunSweep"/>).</summary>
    public async Task<IReadOnlyList<long>> UpsertCommentsAsync(IReadOnlyList<CommentRow> comments)
    {
        if (comments.Count == 0) return [];
        await ResolvePullRequestsAsync(comments.Select(x => x.PullRequestNodeId));
        await ResolveThreadsAsync(comments.Where(x => x.ThreadNodeId is not null).Select(x => x.ThreadNodeId!));
        var rows = comments.GroupBy(x => x.NodeId).Select(g => g.Last()).OrderBy(x => x.NodeId, StringComparer.Ordinal).ToList();
        return (await c.QueryAsync<long>("""
            INSERT INTO prs_comments (tenant_id, pr_id, node_id, database_id, comment_type, thread_id, review_id, review_node_id, author_login,
              author_type, body, created_at, updated_at, path, line, original_line, diff_hunk, reply_to_node_id, content_hash, last_seen_run_id)
            SELECT @tenantId, u.pr_id, u.node_id, u.database_id, u.comment_type, u.thread_id,
              NULL, u.review_node_id, u.author_login,
              u.author_type, u.body, u.created_at, u.updated_at, u.path, u.line, u.original_line, u.diff_hunk, u.reply_to, u.hash, @runId
            FROM unnest(@prIds, @nodeIds, @databaseIds::bigint[], @types, @threadIds::bigint[], @reviewNodeIds, @authorLogins, @authorTypes, @bodies,
              @createdAts::timestamptz[], @updatedAts::timestamptz[], @paths, @lines::int[], @originalLines::int[], @diffHunks, @replyTos, @hashes)
              AS u(pr_id, node_id, database_id, comment_type, thread_id, review_node_id, author_login, author_type, body, created_at, updated_at,
                   path, line, original_line, diff_hunk, reply_to, hash)
            ON CONFLICT (tenant_id, node_id) DO UPDATE SET
              pr_id = excluded.pr_id, database_id = excluded.database_id, comment_type = excluded.comment_type, thread_id = excluded.thread_id,
              review_id = excluded.review_id, review_node_id = excluded.review_node_id, author_login = excluded.author_login,
              author_type = excluded.author_type, body = excluded.body, created_at = excluded.created_at, updated_at = excluded.updated_at,
              path = excluded.path, line = excluded.line, original_line = excluded.original_line, diff_hunk = excluded.diff_hunk,
              reply_to_node_id = excluded.reply_to_node_id, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
            RETURNING id
            """, new
            {
                tenantId, runId,
                prIds = rows.Select(x => _prIds[x.PullRequestNodeId]).ToArray(),
                nodeIds = rows.Select(x => x.NodeId).ToArray(),
                databaseIds = rows.Select(x => x.DatabaseId).ToArray(),
                types = rows.Select(x => x.CommentType).ToArray(),
                threadIds = rows.Select(x => x.ThreadNodeId is null ? (long?)null : _threadIds[x.ThreadNodeId]).ToArray(),
                reviewNodeIds = rows.Select(x => x.ReviewNodeId).ToArray(),
                authorLogins = rows.Select(x => x.AuthorLogin).ToArray(),
                authorTypes = rows.Select(x => x.AuthorType).ToArray(),
                bodies = rows.Select(x => x.Body).ToArray(),
                createdAts = rows.Select(x => (DateTime?)x.CreatedAt.UtcDateTime).ToArray(),
                updatedAts = rows.Select(x => x.UpdatedAt?.UtcDateTime).ToArray(),
                paths = rows.Select(x => x.Path).ToArray(),
                lines = rows.Select(x => x.Line).ToArray(),
                originalLines = rows.Select(x => x.OriginalLine).ToArray(),
                diffHunks = rows.Select(x => x.DiffHunk).ToArray(),
                replyTos = rows.Select(x => x.ReplyToNodeId).ToArray(),
                hashes = rows.Select(x => x.ContentHash).ToArray(),
            }, tx)).ToList();
    }

    private async Task<long> PullRequestIdAsync(string nodeId)
    {
        await ResolvePullRequestsAsync([nodeId]);
        return _prIds[nodeId];
    }

    private async Task ResolvePullRequestsAsync(IEnumerable<string> nodeIds)
    {
        var missing = nodeIds.Where(n => !_prIds.ContainsKey(n)).Distinct().ToArray();
        if (missing.Length == 0) return;
        foreach (var (node, id) in await c.QueryAsync<(string, long)>("SELECT node_id, id FROM prs WHERE tenant_id = @tenantId AND node_id = ANY(@missing)", new { tenantId, missing }, tx))
            _prIds[node] = id;
        if (missing.FirstOrDefault(n => !_prIds.ContainsKey(n)) is { } absent)
            throw new InvalidDataException($"Pull request {absent} is not stored yet: its listing page failed or was never fetched.");
    }

    private async Task ResolveThreadsAsync(IEnumerable<string> nodeIds)
    {
        var missing = nodeIds.Where(n => !_threadIds.ContainsKey(n)).Distinct().ToArray();
        if (missing.Length == 0) return;
        foreach (var (node, id) in await c.QueryAsync<(string, long)>("SELECT node_id, id FROM prs_review_threads WHERE tenant_id = @tenantId AND node_id = ANY(@missing)", new { tenantId, missing }, tx))
            _threadIds[node] = id;
        if (missing.FirstOrDefault(n => !_threadIds.ContainsKey(n)) is { } absent)
            throw new InvalidDataException($"Review thread {absent} is not stored yet.");
    }

    private DynamicParameters Args(object row, long? prId = null)
    {
        var p = new DynamicParameters(row);
        p.Add("tenantId", tenantId);
        p.Add("runId", runId);
        if (prId is not null) p.Add("prId", prId);
        return p;
    }
}
