using Pulse.Core.Storage;
using System.Text.Json;
using Pulse.Core.Embed;

namespace Pulse.Core.Transform;

public static class CommentMapper
{
    /// <summary>An IssueComment: the conversation tab.</summary>
    public static CommentRow MapIssueComment(JsonElement comment, string pullRequestNodeId)
    {
        var body = TextNormalizer.Clean(comment.Str("body")) ?? "";
        return new CommentRow(
            pullRequestNodeId, comment.ReqStr("id"), comment.Long("databaseId"), CommentTypes.Issue, null, null,
            comment.Login("author"), comment.ActorType("author"), body, comment.ReqDate("createdAt"), comment.Date("updatedAt"),
            null, null, null, null, null, ContentHash.Of(EmbeddingText.Comment(body)));
    }

    /// <summary>A PullRequestReviewComment inside a review thread.</summary>
    public static CommentRow MapReviewComment(JsonElement comment, string pullRequestNodeId, string threadNodeId)
    {
        var body = TextNormalizer.Clean(comment.Str("body")) ?? "";
        return new CommentRow(
            pullRequestNodeId, comment.ReqStr("id"), comment.Long("databaseId"), CommentTypes.Review, threadNodeId,
            comment.Prop("pullRequestReview")?.Str("id"),
            comment.Login("author"), comment.ActorType("author"), body, comment.ReqDate("createdAt"), comment.Date("updatedAt"),
            comment.Str("path"), comment.Int("line"), comment.Int("originalLine"), TextNormalizer.Clean(comment.Str("diffHunk")),
            comment.Prop("replyTo")?.Str("id"), ContentHash.Of(EmbeddingText.Comment(body)));
    }
}
