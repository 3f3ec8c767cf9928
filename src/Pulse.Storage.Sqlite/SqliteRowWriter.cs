using Microsoft.Data.Sqlite;
using Pulse.Core.Transform;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// Idempotent upserts of the relational rows, inside the caller's transaction. Every row written
/// is stamped with the run that saw it, so an incremental run can remove what GitHub no longer has.
/// Each statement is the writer connection's, prepared once and reused by every row and every transaction.
/// </summary>
internal sealed class SqliteRowWriter(SqliteDatabase db, SqliteConnection c, long tenantId, long runId, CancellationToken ct)
{
    private readonly Dictionary<string, long> _prIds = [];
    private readonly Dictionary<string, long> _threadIds = [];
    private readonly Dictionary<string, SqliteStatement> _statements = [];

    public async Task<long> UpsertPullRequestAsync(PullRequestRow pr)
    {
        var s = Statement("pr", SqliteRowSql.PullRequest, "tenantId", "RepositoryId", "NodeId", "DatabaseId", "Number", "Title", "Body", "Url", "State",
            "IsDraft", "AuthorLogin", "AuthorType", "MergedByLogin", "BaseRefName", "HeadRefName", "BaseRefOid", "HeadRefOid", "Additions", "Deletions",
            "ChangedFiles", "CreatedAt", "UpdatedAt", "ClosedAt", "MergedAt", "CommitsTotal", "ReviewsTotal", "CommentsTotal", "ReviewThreadsTotal",
            "ContentHash", "runId");
        s.Set("RepositoryId", pr.RepositoryId).Set("NodeId", pr.NodeId).Set("DatabaseId", pr.DatabaseId).Set("Number", pr.Number).Set("Title", pr.Title)
            .Set("Body", pr.Body).Set("Url", pr.Url).Set("State", pr.State).Set("IsDraft", pr.IsDraft).Set("AuthorLogin", pr.AuthorLogin)
            .Set("AuthorType", pr.AuthorType).Set("MergedByLogin", pr.MergedByLogin).Set("BaseRefName", pr.BaseRefName).Set("HeadRefName", pr.HeadRefName)
            .Set("BaseRefOid", pr.BaseRefOid).Set("HeadRefOid", pr.HeadRefOid).Set("Additions", pr.Additions).Set("Deletions", pr.Deletions)
            .Set("ChangedFiles", pr.ChangedFiles).Set("CreatedAt", pr.CreatedAt).Set("UpdatedAt", pr.UpdatedAt).Set("ClosedAt", pr.ClosedAt)
            .Set("MergedAt", pr.MergedAt).Set("CommitsTotal", pr.CommitsTotal).Set("ReviewsTotal", pr.ReviewsTotal).Set("CommentsTotal", pr.CommentsTotal)
            .Set("ReviewThreadsTotal", pr.ReviewThreadsTotal).Set("ContentHash", pr.ContentHash);
        return _prIds[pr.NodeId] = await ReturningIdAsync(s);
    }

    public async Task<long> UpsertCommitAsync(CommitRow commit)
    {
        var prId = await PullRequestIdAsync(commit.PullRequestNodeId);
        var s = Statement("commit", SqliteRowSql.Commit, "tenantId", "prId", "Oid", "Message", "AuthorName", "AuthorEmail", "AuthorLogin", "CommitterName",
            "CommitterEmail", "CommitterLogin", "AuthoredDate", "CommittedDate", "Additions", "Deletions", "ContentHash", "runId");
        s.Set("prId", prId).Set("Oid", commit.Oid).Set("Message", commit.Message).Set("AuthorName", commit.AuthorName).Set("AuthorEmail", commit.AuthorEmail)
            .Set("AuthorLogin", commit.AuthorLogin).Set("CommitterName", commit.CommitterName).Set("CommitterEmail", commit.CommitterEmail)
            .Set("CommitterLogin", commit.CommitterLogin).Set("AuthoredDate", commit.AuthoredDate).Set("CommittedDate", commit.CommittedDate)
            .Set("Additions", commit.Additions).Set("Deletions", commit.Deletions).Set("ContentHash", commit.ContentHash);
        return await ReturningIdAsync(s);
    }

    public async Task<long> UpsertReviewAsync(ReviewRow review)
    {
        var prId = await PullRequestIdAsync(review.PullRequestNodeId);
        var s = Statement("review", SqliteRowSql.Review, "tenantId", "prId", "NodeId", "DatabaseId", "AuthorLogin", "AuthorType", "State", "Body",
            "CreatedAt", "SubmittedAt", "UpdatedAt", "CommitOid", "ContentHash", "runId");
        s.Set("prId", prId).Set("NodeId", review.NodeId).Set("DatabaseId", review.DatabaseId).Set("AuthorLogin", review.AuthorLogin)
            .Set("AuthorType", review.AuthorType).Set("State", review.State).Set("Body", review.Body).Set("CreatedAt", review.CreatedAt)
            .Set("SubmittedAt", review.SubmittedAt).Set("UpdatedAt", review.UpdatedAt).Set("CommitOid", review.CommitOid).Set("ContentHash", review.ContentHash);
        return await ReturningIdAsync(s);
    }

    public async Task UpsertThreadAsync(ReviewThreadRow thread)
    {
        var prId = await PullRequestIdAsync(thread.PullRequestNodeId);
        var s = Statement("thread", SqliteRowSql.Thread, "tenantId", "prId", "NodeId", "IsResolved", "IsOutdated", "IsCollapsed", "Path", "Line",
            "StartLine", "DiffSide", "ResolvedByLogin", "runId");
        s.Set("prId", prId).Set("NodeId", thread.NodeId).Set("IsResolved", thread.IsResolved).Set("IsOutdated", thread.IsOutdated)
            .Set("IsCollapsed", thread.IsCollapsed).Set("Path", thread.Path).Set("Line", thread.Line).Set("StartLine", thread.StartLine)
            .Set("DiffSide", thread.DiffSide).Set("ResolvedByLogin", thread.ResolvedByLogin);
        _threadIds[thread.NodeId] = await ReturningIdAsync(s);
    }

    public async Task<long> UpsertCommentAsync(CommentRow comment)
    {
        var prId = await PullRequestIdAsync(comment.PullRequestNodeId);
        long? threadId = comment.ThreadNodeId is null ? null : await ThreadIdAsync(comment.ThreadNodeId);
        var s = Statement("comment", SqliteRowSql.Comment, "tenantId", "prId", "NodeId", "DatabaseId", "CommentType", "threadId",
            "ReviewNodeId", "AuthorLogin", "AuthorType", "Body", "CreatedAt", "UpdatedAt", "Path", "Line", "OriginalLine", "DiffHunk", "ReplyToNodeId",
            "ContentHash", "runId");
        s.Set("prId", prId).Set("NodeId", comment.NodeId).Set("DatabaseId", comment.DatabaseId).Set("CommentType", comment.CommentType)
            .Set("threadId", threadId).Set("ReviewNodeId", comment.ReviewNodeId).Set("AuthorLogin", comment.AuthorLogin)
            .Set("AuthorType", comment.AuthorType).Set("Body", comment.Body).Set("CreatedAt", comment.CreatedAt).Set("UpdatedAt", comment.UpdatedAt)
            .Set("Path", comment.Path).Set("Line", comment.Line).Set("OriginalLine", comment.OriginalLine).Set("DiffHunk", comment.DiffHunk)
            .Set("ReplyToNodeId", comment.ReplyToNodeId).Set("ContentHash", comment.ContentHash);
        return await ReturningIdAsync(s);
    }

    private async Task<long> PullRequestIdAsync(string nodeId)
    {
        if (_prIds.TryGetValue(nodeId, out var id)) return id;
        id = await Statement("prId", "SELECT id FROM prs WHERE tenant_id = @tenantId AND node_id = @nodeId", "tenantId", "nodeId").Set("nodeId", nodeId).ScalarAsync(ct)
            ?? throw new InvalidDataException($"Pull request {nodeId} is not stored yet: its listing page failed or was never fetched.");
        return _prIds[nodeId] = id;
    }

    private async Task<long> ThreadIdAsync(string nodeId)
    {
        if (_threadIds.TryGetValue(nodeId, out var id)) return id;
        id = await Statement("threadId", "SELECT id FROM prs_review_threads WHERE tenant_id = @tenantId AND node_id = @nodeId", "tenantId", "nodeId")
                .Set("nodeId", nodeId).ScalarAsync(ct)
            ?? throw new InvalidDataException($"Review thread {nodeId} is not stored yet.");
        return _threadIds[nodeId] = id;
    }

    private async Task<long> ReturningIdAsync(SqliteStatement s) =>
        await s.ScalarAsync(ct) ?? throw new InvalidOperationException("An upsert returned no id.");

    /// <summary>The writer's statement for <paramref name="key"/>, with this batch's tenant and run bound on its first use here.</summary>
    private SqliteStatement Statement(string key, string sql, params string[] parameters)
    {
        if (_statements.TryGetValue(key, out var s)) return s;
        s = db.WriterStatement(c, key, sql, parameters);
        if (parameters.Contains("tenantId")) s.Set("tenantId", tenantId);
        if (parameters.Contains("runId")) s.Set("runId", runId);
        return _statements[key] = s;
    }
}
