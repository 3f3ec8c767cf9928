using System.Data;
using Pulse.Core.Search;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>
/// The keyword index's rows (<c>search_documents</c>), written beside the rows they index in the transform's transaction: the
/// text as <see cref="SearchText.Index"/> tokenizes it, and what the search filters read (PR, author login, the row's time).
/// </summary>
internal static class SearchDocuments
{
    // An unchanged document is not rewritten: the full-text index (an FTS5 delete + insert, a new PostgreSQL tuple) stays put.
    public static readonly SqlBatch Upsert = new("search_documents.upsert", """
        INSERT INTO search_documents (tenant_id, table_name, row_id, pr_id, author_login, created_at, text)
        VALUES (@tenantId, @table, @rowId, @prId, @author, @at, @text)
        ON CONFLICT (table_name, row_id) DO UPDATE SET
          pr_id = excluded.pr_id, author_login = excluded.author_login, created_at = excluded.created_at, text = excluded.text
        WHERE search_documents.text <> excluded.text OR search_documents.author_login IS DISTINCT FROM excluded.author_login
          OR search_documents.created_at IS DISTINCT FROM excluded.created_at OR search_documents.pr_id <> excluded.pr_id
        """, [("tenantId", DbType.Int64), ("table", DbType.String), ("rowId", DbType.Int64), ("prId", DbType.Int64), ("author", DbType.String),
            ("at", DbType.DateTimeOffset), ("text", DbType.String)]);

    public static object?[] PullRequest(long tenantId, long id, PullRequestRow pr, string text) => [tenantId, "prs", id, id, pr.AuthorLogin, pr.CreatedAt, text];

    public static object?[] Commit(long tenantId, long id, long prId, CommitRow commit, string text) =>
        [tenantId, "prs_commits", id, prId, commit.AuthorLogin, commit.CommittedDate ?? commit.AuthoredDate, text];

    public static object?[] Review(long tenantId, long id, long prId, ReviewRow review, string text) =>
        [tenantId, "prs_reviews", id, prId, review.AuthorLogin, review.SubmittedAt ?? review.CreatedAt, text];

    public static object?[] Comment(long tenantId, long id, long prId, CommentRow comment, string text) =>
        [tenantId, "prs_comments", id, prId, comment.AuthorLogin, comment.CreatedAt, text];

    public static string TextOf(PullRequestRow pr) => SearchText.Index($"{pr.Title}\n{pr.Body}\n{pr.HeadRefName}");

    // The sha is indexed with the message: a commit is found by a prefix of it.
    public static string TextOf(CommitRow commit) => SearchText.Index($"{commit.Message}\n{commit.Oid}");

    public static string TextOf(ReviewRow review) => SearchText.Index(review.Body);

    public static string TextOf(CommentRow comment) => SearchText.Index(comment.Body);
}
