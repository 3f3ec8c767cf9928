using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalPullRequestStore(RelationalDatabase db) : IPullRequestStore
{
    private const string SummaryColumns = """
        p.id AS Id, r.full_name AS Repository, p.number AS Number, p.title AS Title, p.state AS State, p.is_draft AS IsDraft,
        p.author_login AS Author, p.created_at AS CreatedAt, p.updated_at AS UpdatedAt, p.merged_at AS MergedAt, p.closed_at AS ClosedAt,
        p.additions AS Additions, p.deletions AS Deletions, p.commits_total AS CommitCount, p.reviews_total AS ReviewCount,
        p.comments_total AS CommentCount
        """;

    private const string Filter = """
        FROM prs p JOIN repositories r ON r.id = p.repository_id
        WHERE p.tenant_id = @TenantId
          AND (@Repository IS NULL OR r.full_name = @Repository OR r.name = @Repository)
          AND (@State IS NULL OR p.state = @State)
          AND (@Author IS NULL OR p.author_login = @Author)
          AND (@UpdatedSince IS NULL OR p.updated_at >= @UpdatedSince)
        """;

    public Task<PullRequestPage> ListAsync(PullRequestQuery query, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var args = new { query.TenantId, query.Repository, query.State, query.Author, query.UpdatedSince, query.PageSize, Offset = (long)(query.Page - 1) * query.PageSize };
        var total = await c.ExecuteScalarAsync<long>($"SELECT count(*) {Filter}", args);
        var items = (await c.QueryAsync<SummaryRow>($"SELECT {SummaryColumns} {Filter} ORDER BY p.updated_at DESC, p.id DESC LIMIT @PageSize OFFSET @Offset", args))
            .Select(r => r.ToSummary()).ToList();
        return new PullRequestPage(items, total, query.Page, query.PageSize);
    }, ct);

    public Task<PullRequestDetail?> GetAsync(long tenantId, long pullRequestId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var args = new { tenantId, id = pullRequestId };
        var pr = await c.QuerySingleOrDefaultAsync<DetailRow>($"""
            SELECT {SummaryColumns}, p.node_id AS NodeId, p.body AS Body, p.url AS Url, p.base_ref_name AS BaseRef, p.head_ref_name AS HeadRef,
              p.merged_by_login AS MergedBy, p.first_review_at AS FirstReviewAt, p.review_cycles AS Cycles, p.rework_commit_count AS Rework
            FROM prs p JOIN repositories r ON r.id = p.repository_id WHERE p.id = @id AND p.tenant_id = @tenantId
            """, args);
        if (pr is null) return null;
        var commits = (await c.QueryAsync<ChildRow>("""
            SELECT oid AS Oid, message AS Body, author_name AS AuthorName, author_email AS AuthorEmail, author_login AS AuthorLogin, committer_name AS CommitterName,
              committer_email AS CommitterEmail, committer_login AS CommitterLogin, authored_date AS AuthoredAt, committed_date AS At, additions AS Additions,
              deletions AS Deletions, content_hash AS Hash
            FROM prs_commits WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY committed_date, id
            """, args)).Select(r => new CommitRow(pr.NodeId, r.Oid!, r.Body, r.AuthorName, r.AuthorEmail, r.AuthorLogin, r.CommitterName, r.CommitterEmail,
                r.CommitterLogin, r.AuthoredAt, r.At, (int?)r.Additions, (int?)r.Deletions, r.Hash)).ToList();
        var reviews = (await c.QueryAsync<ChildRow>("""
            SELECT node_id AS NodeId, database_id AS DatabaseId, author_login AS AuthorLogin, author_type AS AuthorType, state AS State, body AS Body,
              created_at AS CreatedAt, submitted_at AS At, updated_at AS UpdatedAt, commit_oid AS Oid, content_hash AS Hash
            FROM prs_reviews WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY created_at, id
            """, args)).Select(r => new ReviewRow(pr.NodeId, r.NodeId!, r.DatabaseId, r.AuthorLogin, r.AuthorType, r.State!, r.Body, r.CreatedAt!.Value, r.At,
                r.UpdatedAt, r.Oid, r.Hash)).ToList();
        var threads = (await c.QueryAsync<ChildRow>("""
            SELECT node_id AS NodeId, is_resolved AS IsResolved, is_outdated AS IsOutdated, is_collapsed AS IsCollapsed, path AS Path, line AS Line,
              start_line AS StartLine, diff_side AS DiffSide, resolved_by_login AS ResolvedBy
            FROM prs_review_threads WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY id
            """, args)).Select(r => new ReviewThreadRow(pr.NodeId, r.NodeId!, r.IsResolved, r.IsOutdated, r.IsCollapsed, r.Path, (int?)r.Line, (int?)r.StartLine,
                r.DiffSide, r.ResolvedBy)).ToList();
        var comments = (await c.QueryAsync<ChildRow>("""
            SELECT m.node_id AS NodeId, m.database_id AS DatabaseId, m.comment_type AS Type, t.node_id AS ThreadNodeId, m.review_node_id AS ReviewNodeId,
              m.author_login AS AuthorLogin, m.author_type AS AuthorType, m.body AS Body, m.created_at AS CreatedAt, m.updated_at AS UpdatedAt, m.path AS Path,
              m.line AS Line, m.original_line AS OriginalLine, m.diff_hunk AS DiffHunk, m.reply_to_node_id AS ReplyTo, m.content_hash AS Hash
            FROM prs_comments m LEFT JOIN prs_review_threads t ON t.id = m.thread_id
            WHERE m.pr_id = @id AND m.tenant_id = @tenantId ORDER BY m.created_at, m.id
            """, args)).Select(r => new CommentRow(pr.NodeId, r.NodeId!, r.DatabaseId, r.Type!, r.ThreadNodeId, r.ReviewNodeId, r.AuthorLogin, r.AuthorType, r.Body,
                r.CreatedAt!.Value, r.UpdatedAt, r.Path, (int?)r.Line, (int?)r.OriginalLine, r.DiffHunk, r.ReplyTo, r.Hash)).ToList();
        var events = (await c.QueryAsync<ChildRow>("""
            SELECT node_id AS NodeId, event_type AS Type, actor_login AS AuthorLogin, actor_type AS AuthorType, requested_reviewer AS RequestedReviewer,
              requested_reviewer_type AS RequestedReviewerType, before_commit_oid AS BeforeOid, after_commit_oid AS Oid, created_at AS CreatedAt
            FROM prs_timeline_events WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY created_at, node_id
            """, args)).Select(r => new TimelineEventRow(pr.NodeId, r.NodeId!, r.Type!, r.AuthorLogin, r.AuthorType, r.RequestedReviewer, r.RequestedReviewerType,
                r.BeforeOid, r.Oid, r.CreatedAt!.Value)).ToList();
        var labels = (await c.QueryAsync<ChildRow>("SELECT node_id AS NodeId, name AS Body FROM prs_labels WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY name, node_id", args))
            .Select(r => new LabelRow(pr.NodeId, r.NodeId!, r.Body)).ToList();
        return new PullRequestDetail(pr.ToSummary(), pr.Body, pr.Url, pr.BaseRef, pr.HeadRef, pr.MergedBy, pr.FirstReviewAt, pr.Cycles, pr.Rework,
            commits, reviews, threads, comments) { Events = events, Labels = labels };
    }, ct);

    public Task<bool> PingAsync(CancellationToken ct) => db.ReadAsync(async c => await c.ExecuteScalarAsync<long>("SELECT 1") == 1, ct);

    private class SummaryRow
    {
        public long Id { get; set; }
        public string Repository { get; set; } = "";
        public long Number { get; set; }
        public string Title { get; set; } = "";
        public string State { get; set; } = "";
        public bool IsDraft { get; set; }
        public string? Author { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }
        public DateTimeOffset? MergedAt { get; set; }
        public DateTimeOffset? ClosedAt { get; set; }
        public long Additions { get; set; }
        public long Deletions { get; set; }
        public long CommitCount { get; set; }
        public long ReviewCount { get; set; }
        public long CommentCount { get; set; }

        public PullRequestSummary ToSummary() => new(Id, Repository, (int)Number, Title, State, IsDraft, Author, CreatedAt, UpdatedAt, MergedAt, ClosedAt,
            Additions, Deletions, CommitCount, ReviewCount, CommentCount);
    }

    private sealed class DetailRow : SummaryRow
    {
        public string NodeId { get; set; } = "";
        public string? Body { get; set; }
        public string? Url { get; set; }
        public string? BaseRef { get; set; }
        public string? HeadRef { get; set; }
        public string? MergedBy { get; set; }
        public DateTimeOffset? FirstReviewAt { get; set; }
        public long? Cycles { get; set; }
        public long? Rework { get; set; }
    }

    /// <summary>Any child row as Dapper reads it on either backend (integers as long, booleans as 0/1 or bool, times as text or timestamps).</summary>
    private sealed class ChildRow
    {
        public string? NodeId { get; set; }
        public string? Oid { get; set; }
        public long? DatabaseId { get; set; }
        public string? Type { get; set; }
        public string? ThreadNodeId { get; set; }
        public string? ReviewNodeId { get; set; }
        public string? AuthorName { get; set; }
        public string? AuthorEmail { get; set; }
        public string? AuthorLogin { get; set; }
        public string? AuthorType { get; set; }
        public string? CommitterName { get; set; }
        public string? CommitterEmail { get; set; }
        public string? CommitterLogin { get; set; }
        public string? State { get; set; }
        public string Body { get; set; } = "";
        public DateTimeOffset? AuthoredAt { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? At { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }
        public long? Additions { get; set; }
        public long? Deletions { get; set; }
        public bool IsResolved { get; set; }
        public bool IsOutdated { get; set; }
        public bool IsCollapsed { get; set; }
        public string? Path { get; set; }
        public long? Line { get; set; }
        public long? StartLine { get; set; }
        public long? OriginalLine { get; set; }
        public string? DiffSide { get; set; }
        public string? RequestedReviewer { get; set; }
        public string? RequestedReviewerType { get; set; }
        public string? BeforeOid { get; set; }
        public string? DiffHunk { get; set; }
        public string? ResolvedBy { get; set; }
        public string? ReplyTo { get; set; }
        public string Hash { get; set; } = "";
    }
}
