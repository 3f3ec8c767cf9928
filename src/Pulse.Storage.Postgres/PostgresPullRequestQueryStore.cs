using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>The synced data as the API reads it, always within one tenant. Vector search is <see cref="PostgresEmbeddingStore.SearchAsync"/>.</summary>
public sealed class PostgresPullRequestQueryStore(PostgresDatabase db) : IPullRequestQueryStore
{
    private const string SummaryColumns = """
        p.id AS Id, r.full_name AS Repository, p.number AS Number, p.title AS Title, p.state AS State, p.is_draft AS IsDraft,
        p.author_login AS Author, p.created_at AS CreatedAt, p.updated_at AS UpdatedAt, p.merged_at AS MergedAt, p.closed_at AS ClosedAt,
        p.additions AS Additions, p.deletions AS Deletions, p.commits_total AS CommitCount, p.reviews_total AS ReviewCount,
        p.comments_total AS CommentCount
        """;

    // Typed NULL checks: PostgreSQL cannot infer a parameter's type from "IS NULL" alone.
    private const string Filter = """
        FROM prs p JOIN repositories r ON r.id = p.repository_id
        WHERE p.tenant_id = @TenantId
          AND (@Repository::text IS NULL OR r.full_name = @Repository OR r.name = @Repository)
          AND (@State::text IS NULL OR p.state = @State)
          AND (@Author::text IS NULL OR p.author_login = @Author)
          AND (@UpdatedSince::timestamptz IS NULL OR p.updated_at >= @UpdatedSince)
        """;

    public Task<IReadOnlyList<RepositorySummary>> ListRepositoriesAsync(long tenantId, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RepositorySummary>)(await c.QueryAsync<RepositoryRow>("""
            SELECT r.id AS Id, r.integration_id AS IntegrationId, r.node_id AS NodeId, r.full_name AS FullName, r.description AS Description,
              r.default_branch AS DefaultBranch, r.language AS Language, r.is_private AS IsPrivate, r.is_archived AS IsArchived, r.is_fork AS IsFork,
              r.active AS Active, r.pushed_at AS PushedAt, (SELECT count(*) FROM prs p WHERE p.repository_id = r.id) AS PullRequests
            FROM repositories r WHERE r.tenant_id = @tenantId ORDER BY r.full_name
            """, new { tenantId })).Select(r => r.ToSummary()).ToList(), ct);

    public Task<PullRequestPage> ListAsync(PullRequestQuery query, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var args = new
        {
            query.TenantId, query.Repository, query.State, query.Author, UpdatedSince = Pg.Utc(query.UpdatedSince),
            query.PageSize, Offset = (long)(query.Page - 1) * query.PageSize,
        };
        var total = await c.ExecuteScalarAsync<long>($"SELECT count(*) {Filter}", args);
        var items = (await c.QueryAsync<SummaryRow>($"SELECT {SummaryColumns} {Filter} ORDER BY p.updated_at DESC, p.id DESC LIMIT @PageSize OFFSET @Offset", args))
            .Select(r => r.ToSummary()).ToList();
        return new PullRequestPage(items, total, query.Page, query.PageSize);
    }, ct);

    public Task<PullRequestDetail?> GetAsync(long tenantId, long pullRequestId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var args = new { tenantId, id = pullRequestId };
        var pr = await c.QuerySingleOrDefaultAsync<DetailRow>($"""
            SELECT {SummaryColumns}, p.body AS Body, p.url AS Url, p.base_ref_name AS BaseRef, p.head_ref_name AS HeadRef, p.merged_by_login AS MergedBy,
              p.first_review_at AS FirstReviewAt, p.review_cycles AS Cycles, p.rework_commit_count AS Rework
            FROM prs p JOIN repositories r ON r.id = p.repository_id WHERE p.id = @id AND p.tenant_id = @tenantId
            """, args);
        if (pr is null) return null;
        var commits = (await c.QueryAsync<CommitDbRow>("""
            SELECT oid AS Oid, message AS Message, COALESCE(author_login, author_name) AS Author, committed_date AS CommittedDate, additions AS Additions, deletions AS Deletions
            FROM prs_commits WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY committed_date, id
            """, args)).Select(r => new CommitRow(r.Oid, r.Message, r.Author, r.CommittedDate, r.Additions, r.Deletions)).ToList();
        var reviews = (await c.QueryAsync<ReviewDbRow>("""
            SELECT id AS Id, node_id AS NodeId, author_login AS Author, state AS State, body AS Body, submitted_at AS SubmittedAt
            FROM prs_reviews WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY created_at, id
            """, args)).Select(r => new ReviewRow(r.Id, r.NodeId, r.Author, r.State, r.Body, r.SubmittedAt)).ToList();
        var threads = (await c.QueryAsync<ThreadDbRow>("""
            SELECT id AS Id, node_id AS NodeId, is_resolved AS IsResolved, is_outdated AS IsOutdated, path AS Path, line AS Line
            FROM prs_review_threads WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY id
            """, args)).Select(r => new ThreadRow(r.Id, r.NodeId, r.IsResolved, r.IsOutdated, r.Path, r.Line)).ToList();
        var comments = (await c.QueryAsync<CommentDbRow>("""
            SELECT id AS Id, node_id AS NodeId, comment_type AS Type, thread_id AS ThreadId, review_id AS ReviewId, author_login AS Author, body AS Body,
              created_at AS CreatedAt, path AS Path, line AS Line, reply_to_node_id AS ReplyTo
            FROM prs_comments WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY created_at, id
            """, args)).Select(r => new CommentRow(r.Id, r.NodeId, r.Type, r.ThreadId, r.ReviewId, r.Author, r.Body, r.CreatedAt, r.Path, r.Line, r.ReplyTo)).ToList();
        return new PullRequestDetail(pr.ToSummary(), pr.Body, pr.Url, pr.BaseRef, pr.HeadRef, pr.MergedBy, pr.FirstReviewAt, pr.Cycles, pr.Rework,
            commits, reviews, threads, comments);
    }, ct);

    public Task<bool> PingAsync(CancellationToken ct) => db.ReadAsync(async c => await c.ExecuteScalarAsync<int>("SELECT 1") == 1, ct);

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
        public string? Body { get; set; }
        public string? Url { get; set; }
        public string? BaseRef { get; set; }
        public string? HeadRef { get; set; }
        public string? MergedBy { get; set; }
        public DateTimeOffset? FirstReviewAt { get; set; }
        public long? Cycles { get; set; }
        public long? Rework { get; set; }
    }

    private sealed class RepositoryRow
    {
        public long Id { get; set; }
        public long IntegrationId { get; set; }
        public string NodeId { get; set; } = "";
        public string FullName { get; set; } = "";
        public string? Description { get; set; }
        public string? DefaultBranch { get; set; }
        public string? Language { get; set; }
        public bool IsPrivate { get; set; }
        public bool IsArchived { get; set; }
        public bool IsFork { get; set; }
        public bool Active { get; set; }
        public DateTimeOffset? PushedAt { get; set; }
        public long PullRequests { get; set; }

        public RepositorySummary ToSummary() => new(Id, IntegrationId, NodeId, FullName, Description, DefaultBranch, Language, IsPrivate, IsArchived, IsFork,
            Active, PushedAt, PullRequests);
    }

    private sealed class CommitDbRow
    {
        public string Oid { get; set; } = "";
        public string Message { get; set; } = "";
        public string? Author { get; set; }
        public DateTimeOffset? CommittedDate { get; set; }
        public long? Additions { get; set; }
        public long? Deletions { get; set; }
    }

    private sealed class ReviewDbRow
    {
        public long Id { get; set; }
        public string NodeId { get; set; } = "";
        public string? Author { get; set; }
        public string State { get; set; } = "";
        public string Body { get; set; } = "";
        public DateTimeOffset? SubmittedAt { get; set; }
    }

    private sealed class ThreadDbRow
    {
        public long Id { get; set; }
        public string NodeId { get; set; } = "";
        public bool IsResolved { get; set; }
        public bool IsOutdated { get; set; }
        public string? Path { get; set; }
        public long? Line { get; set; }
    }

    private sealed class CommentDbRow
    {
        public long Id { get; set; }
        public string NodeId { get; set; } = "";
        public string Type { get; set; } = "";
        public long? ThreadId { get; set; }
        public long? ReviewId { get; set; }
        public string? Author { get; set; }
        public string Body { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public string? Path { get; set; }
        public long? Line { get; set; }
        public string? ReplyTo { get; set; }
    }
}
