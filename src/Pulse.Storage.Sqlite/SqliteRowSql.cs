namespace Pulse.Storage.Sqlite;

/// <summary>The upserts of <see cref="SqliteRowWriter"/>: insert, or on a known key update every column and stamp the run.</summary>
internal static class SqliteRowSql
{
    public const string PullRequest = """
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
        """;

    public const string Commit = """
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
        """;

    public const string Review = """
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
        """;

    public const string Thread = """
        INSERT INTO prs_review_threads (tenant_id, pr_id, node_id, is_resolved, is_outdated, is_collapsed, path, line, start_line, diff_side,
          resolved_by_login, last_seen_run_id)
        VALUES (@tenantId, @prId, @NodeId, @IsResolved, @IsOutdated, @IsCollapsed, @Path, @Line, @StartLine, @DiffSide, @ResolvedByLogin, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, is_resolved = excluded.is_resolved, is_outdated = excluded.is_outdated, is_collapsed = excluded.is_collapsed,
          path = excluded.path, line = excluded.line, start_line = excluded.start_line, diff_side = excluded.diff_side,
          resolved_by_login = excluded.resolved_by_login, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """;

    /// <summary>The review key is filled by the comments step's sweep (<see cref="SqliteRunSweep"/>), once every review of the run is in.</summary>
    public const string Comment = """
        INSERT INTO prs_comments (tenant_id, pr_id, node_id, database_id, comment_type, thread_id, review_id, review_node_id, author_login,
          author_type, body, created_at, updated_at, path, line, original_line, diff_hunk, reply_to_node_id, content_hash, last_seen_run_id)
        VALUES (@tenantId, @prId, @NodeId, @DatabaseId, @CommentType, @threadId, NULL, @ReviewNodeId, @AuthorLogin,
          @AuthorType, @Body, @CreatedAt, @UpdatedAt, @Path, @Line, @OriginalLine, @DiffHunk, @ReplyToNodeId, @ContentHash, @runId)
        ON CONFLICT (tenant_id, node_id) DO UPDATE SET
          pr_id = excluded.pr_id, database_id = excluded.database_id, comment_type = excluded.comment_type, thread_id = excluded.thread_id,
          review_id = excluded.review_id, review_node_id = excluded.review_node_id, author_login = excluded.author_login,
          author_type = excluded.author_type, body = excluded.body, created_at = excluded.created_at, updated_at = excluded.updated_at,
          path = excluded.path, line = excluded.line, original_line = excluded.original_line, diff_hunk = excluded.diff_hunk,
          reply_to_node_id = excluded.reply_to_node_id, content_hash = excluded.content_hash, last_seen_run_id = excluded.last_seen_run_id
        RETURNING id
        """;
}
