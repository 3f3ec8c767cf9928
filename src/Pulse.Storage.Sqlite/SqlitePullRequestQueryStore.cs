using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

public sealed class SqlitePullRequestQueryStore(SqliteDatabase db) : IPullRequestQueryStore
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

    public Task<IReadOnlyList<RepositorySummary>> ListRepositoriesAsync(long tenantId, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<RepositorySummary>)(await c.QueryAsync("""
            SELECT r.id AS Id, r.integration_id AS IntegrationId, r.node_id AS NodeId, r.full_name AS FullName, r.description AS Description,
              r.default_branch AS DefaultBranch, r.language AS Language, r.is_private AS IsPrivate, r.is_archived AS IsArchived, r.is_fork AS IsFork,
              r.active AS Active, r.pushed_at AS PushedAt, (SELECT count(*) FROM prs p WHERE p.repository_id = r.id) AS PullRequests
            FROM repositories r WHERE r.tenant_id = @tenantId ORDER BY r.full_name
            """, new { tenantId })).Cast<IDictionary<string, object?>>().Select(r => new RepositorySummary(r.Long("Id"), r.Long("IntegrationId"), r.Text("NodeId"),
                r.Text("FullName"), r.Str("Description"), r.Str("DefaultBranch"), r.Str("Language"), r.Bool("IsPrivate"), r.Bool("IsArchived"), r.Bool("IsFork"),
                r.Bool("Active"), r.Date("PushedAt"), r.Long("PullRequests"))).ToList(), ct);

    public Task<PullRequestPage> ListAsync(PullRequestQuery query, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var args = new DynamicParameters(query);
        args.Add("Offset", (query.Page - 1) * query.PageSize);
        var total = await c.ExecuteScalarAsync<long>($"SELECT count(*) {Filter}", args);
        var items = (await c.QueryAsync(
            $"SELECT {SummaryColumns} {Filter} ORDER BY p.updated_at DESC, p.id DESC LIMIT @PageSize OFFSET @Offset", args)).Cast<IDictionary<string, object?>>().Select(Summary).ToList();
        return new PullRequestPage(items, total, query.Page, query.PageSize);
    }, ct);

    public Task<PullRequestDetail?> GetAsync(long tenantId, long pullRequestId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var args = new { tenantId, id = pullRequestId };
        var found = await c.QuerySingleOrDefaultAsync($"""
            SELECT {SummaryColumns}, p.body AS Body, p.url AS Url, p.base_ref_name AS BaseRef, p.head_ref_name AS HeadRef, p.merged_by_login AS MergedBy,
              p.first_review_at AS FirstReviewAt, p.review_cycles AS Cycles, p.rework_commit_count AS Rework
            FROM prs p JOIN repositories r ON r.id = p.repository_id WHERE p.id = @id AND p.tenant_id = @tenantId
            """, args);
        if (found is null) return null;
        var pr = (IDictionary<string, object?>)found;
        var commits = (await c.QueryAsync("""
            SELECT oid AS Oid, message AS Message, COALESCE(author_login, author_name) AS Author, committed_date AS CommittedDate, additions AS Additions, deletions AS Deletions
            FROM prs_commits WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY committed_date, id
            """, args)).Cast<IDictionary<string, object?>>().Select(r => new CommitRow(r.Text("Oid"), r.Text("Message"), r.Str("Author"), r.Date("CommittedDate"),
                r.LongOrNull("Additions"), r.LongOrNull("Deletions"))).ToList();
        var reviews = (await c.QueryAsync("""
            SELECT id AS Id, node_id AS NodeId, author_login AS Author, state AS State, body AS Body, submitted_at AS SubmittedAt
            FROM prs_reviews WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY created_at, id
            """, args)).Cast<IDictionary<string, object?>>().Select(r => new ReviewRow(r.Long("Id"), r.Text("NodeId"), r.Str("Author"), r.Text("State"),
                r.Text("Body"), r.Date("SubmittedAt"))).ToList();
        var threads = (await c.QueryAsync("""
            SELECT id AS Id, node_id AS NodeId, is_resolved AS IsResolved, is_outdated AS IsOutdated, path AS Path, line AS Line
            FROM prs_review_threads WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY id
            """, args)).Cast<IDictionary<string, object?>>().Select(r => new ThreadRow(r.Long("Id"), r.Text("NodeId"), r.Bool("IsResolved"), r.Bool("IsOutdated"),
                r.Str("Path"), r.LongOrNull("Line"))).ToList();
        var comments = (await c.QueryAsync("""
            SELECT id AS Id, node_id AS NodeId, comment_type AS Type, thread_id AS ThreadId, review_id AS ReviewId, author_login AS Author, body AS Body,
              created_at AS CreatedAt, path AS Path, line AS Line, reply_to_node_id AS ReplyTo
            FROM prs_comments WHERE pr_id = @id AND tenant_id = @tenantId ORDER BY created_at, id
            """, args)).Cast<IDictionary<string, object?>>().Select(r => new CommentRow(r.Long("Id"), r.Text("NodeId"), r.Text("Type"), r.LongOrNull("ThreadId"),
                r.LongOrNull("ReviewId"), r.Str("Author"), r.Text("Body"), r.Date("CreatedAt") ?? default, r.Str("Path"), r.LongOrNull("Line"), r.Str("ReplyTo"))).ToList();
        return new PullRequestDetail(Summary(pr), pr.Str("Body"), pr.Str("Url"), pr.Str("BaseRef"), pr.Str("HeadRef"), pr.Str("MergedBy"),
            pr.Date("FirstReviewAt"), pr.LongOrNull("Cycles"), pr.LongOrNull("Rework"), commits, reviews, threads, comments);
    }, ct);

    private static PullRequestSummary Summary(IDictionary<string, object?> r) => new(r.Long("Id"), r.Text("Repository"), (int)r.Long("Number"), r.Text("Title"),
        r.Text("State"), r.Bool("IsDraft"), r.Str("Author"), r.Date("CreatedAt") ?? default, r.Date("UpdatedAt") ?? default, r.Date("MergedAt"), r.Date("ClosedAt"),
        r.Long("Additions"), r.Long("Deletions"), r.Long("CommitCount"), r.Long("ReviewCount"), r.Long("CommentCount"));

    public Task<bool> PingAsync(CancellationToken ct) => db.ReadAsync(async c => await c.ExecuteScalarAsync<long>("SELECT 1") == 1, ct);
}
