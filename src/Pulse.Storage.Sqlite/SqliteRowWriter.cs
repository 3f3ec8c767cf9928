using System.Data;
using Dapper;
using Pulse.Core.Transform;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// Idempotent upserts of the relational rows, inside the caller's transaction. Every row written
/// is stamped with the run that saw it, so an incremental run can remove what GitHub no longer has.
/// </summary>
internal sealed class SqliteRowWriter(IDbConnection c, IDbTransaction tx, long tenantId, long runId)
{
    private readonly Dictionary<string, long> _prIds = [];
    private readonly Dictionary<string, long> _threadIds = [];

    public Task<long> UpsertPullRequestAsync(PullRequestRow pr) => c.ExecuteScalarAsync<long>("""
        INSERT INTO prs (tenant_id, repository_id, node_id, database_id, number, title, body, url, state, is_draft, author_login, author_type,
          merged_by_login, base_ref_name, head_ref_name, base_ref_oid, head_ref_oid, additions, deletions, changed_files, created_at, updated_at,
          closed_at, merged_at, commits_total, reviews_total, comments_total, review_threads_total, content_hash, last_seen_run_id)
        VALUES (@tenantId, @RepositoryId, @NodeId, @DatabaseId, @Number, @Title, @Body, @Url, @State, @IsDraft, @AuthorLogin, @AuthorType,
          @MergedByLogin, @BaseRefName, @HeadRefName, @BaseRefOid, @HeadRefOid, @Additions, @Deletions, @ChangedFiles, @CreatedAt, @UpdatedAt,
          @ClosedAt, @MergedAt, @CommitsTotal, @ReviewsTotal, @CommentsTotal, @ReviewThreadsTotal, @ContentHash, @runId)
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
        """, Args(pr), tx);

    public async Task<long> UpsertCommitAsync(CommitRow commit) => await c.ExecuteScalarAsync<long>("""
        INSERT INTO prs_commits (tenant_id, pr_id, oid, message, author_name, author_email, author_login, committer_name, committer_email,
          committer_login, authored_date, committed_date, additions, deletions, content_hash, last_seen_run_id)
        VALUES (@tenantId, @prId, @Oid, @Message, @AuthorName, @AuthorEmail, @AuthorLogin, @CommitterName, @CommitterEmail,
          @CommitterLogin, @AuthoredDate, @CommittedDate, @Additions, @Deletions, @ContentHash, @runId)
        ON CONFLICT (tenant_id, pr_id, oid) DO UPDATE SET
          message = excluded.message, author_name = excluded.author_name, author_email = excluded.author_email, author_login = excluded.author_login,
          committer_name = excluded.committer_name, committer_email = excluded.committer_email, committer_login = excluded.committer_login,
          authored_date = excluded.authored_date, committed_date = excluded.committed_date, additions = excluded.additions,
          deletions = excluded.deletions, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, Args(commit, await PullRequestIdAsync(commit.PullRequestNodeId)), tx);

    public async Task<long> UpsertReviewAsync(ReviewRow review) => await c.ExecuteScalarAsync<long>("""
        INSERT INTO prs_reviews (tenant_id, pr_id, node_id, database_id, author_login, author_type, state, body, created_at, submitted_at,
          updated_at, commit_oid, content_hash, last_seen_run_id)
        VALUES (@tenantId, @prId, @NodeId, @DatabaseId, @AuthorLogin, @AuthorType, @State, @Body, @CreatedAt, @SubmittedAt,
          @UpdatedAt, @CommitOid, @ContentHash, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, database_id = excluded.database_id, author_login = excluded.author_login, author_type = excluded.author_type,
          state = excluded.state, body = excluded.body, created_at = excluded.created_at, submitted_at = excluded.submitted_at,
          updated_at = excluded.updated_at, commit_oid = excluded.commit_oid, content_hash = excluded.content_hash,
          last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """, Args(review, await PullRequestIdAsync(review.PullRequestNodeId)), tx);

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

    public async Task<long> UpsertCommentAsync(CommentRow comment)
    {
        var prId = await PullRequestIdAsync(comment.PullRequestNodeId);
        long? threadId = comment.ThreadNodeId is null ? null : await ThreadIdAsync(comment.ThreadNodeId);
        // A review the comment belongs to may be invisible (another user's pending review): keep its node id, leave the key empty.
        long? reviewId = comment.ReviewNodeId is null ? null
            : await c.ExecuteScalarAsync<long?>("SELECT id FROM prs_reviews WHERE tenant_id = @tenantId AND node_id = @node", new { tenantId, node = comment.ReviewNodeId }, tx);
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO prs_comments (tenant_id, pr_id, node_id, database_id, comment_type, thread_id, review_id, review_node_id, author_login,
              author_type, body, created_at, updated_at, path, line, original_line, diff_hunk, reply_to_node_id, content_hash, last_seen_run_id)
            VALUES (@tenantId, @prId, @NodeId, @DatabaseId, @CommentType, @threadId, @reviewId, @ReviewNodeId, @AuthorLogin,
              @AuthorType, @Body, @CreatedAt, @UpdatedAt, @Path, @Line, @OriginalLine, @DiffHunk, @ReplyToNodeId, @ContentHash, @runId)
            ON CONFLICT (tenant_id, node_id) DO UPDATE SET
              pr_id = excluded.pr_id, database_id = excluded.database_id, comment_type = excluded.comment_type, thread_id = excluded.thread_id,
              review_id = excluded.review_id, review_node_id = excluded.review_node_id, author_login = excluded.author_login,
              author_type = excluded.author_type, body = excluded.body, created_at = excluded.created_at, updated_at = excluded.updated_at,
              path = excluded.path, line = excluded.line, original_line = excluded.original_line, diff_hunk = excluded.diff_hunk,
              reply_to_node_id = excluded.reply_to_node_id, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
            RETURNING id
            """, Args(comment, prId, ("threadId", threadId), ("reviewId", reviewId)), tx);
    }

    private async Task<long> PullRequestIdAsync(string nodeId)
    {
        if (_prIds.TryGetValue(nodeId, out var id)) return id;
        id = await c.ExecuteScalarAsync<long?>("SELECT id FROM prs WHERE tenant_id = @tenantId AND node_id = @nodeId", new { tenantId, nodeId }, tx)
            ?? throw new InvalidDataException($"Pull request {nodeId} is not stored yet: its listing page failed or was never fetched.");
        return _prIds[nodeId] = id;
    }

    private async Task<long> ThreadIdAsync(string nodeId)
    {
        if (_threadIds.TryGetValue(nodeId, out var id)) return id;
        id = await c.ExecuteScalarAsync<long?>("SELECT id FROM prs_review_threads WHERE tenant_id = @tenantId AND node_id = @nodeId", new { tenantId, nodeId }, tx)
            ?? throw new InvalidDataException($"Review thread {nodeId} is not stored yet.");
        return _threadIds[nodeId] = id;
    }

    private DynamicParameters Args(object row, long? prId = null, params (string Name, object? Value)[] extra)
    {
        var p = new DynamicParameters(row);
        p.Add("tenantId", tenantId);
        p.Add("runId", runId);
        if (prId is not null) p.Add("prId", prId);
        foreach (var (name, value) in extra) p.Add(name, value);
        return p;
    }
}
