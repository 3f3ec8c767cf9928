using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

/// <summary>
/// Replays recorded comments through the mapper: mergestat's issue-comments page of mergestat/mergestat#193 and gh-talk's
/// review-thread comments of hamishmorgan/gh-talk#1.
/// </summary>
public sealed class CommentMapperTests
{
    [Fact]
    public void MapIssueComment_RecordedBotComment_KeepsItsWholeBodyAndRecordedValues()
    {
        var pr = RecordedPages.MergestatRepository("TestPRComments").GetProperty("pullRequest");
        var node = Assert.Single(RecordedPages.Nodes(pr.GetProperty("comments")));
        var recordedBody = node.GetProperty("body").GetString()!;

        var row = CommentMapper.MapIssueComment(node, "PR_kwDOEIJSDM4s_pJJ");

        Assert.Equal(3427, recordedBody.Length);
        Assert.StartsWith("# [Codecov](https://codecov.io/gh/askgitdev/askgit/pull/193", recordedBody);
        Assert.Equal(new CommentRow(
            "PR_kwDOEIJSDM4s_pJJ", "IC_kwDOEIJSDM44AfEf", 939651359, CommentTypes.Issue, null, null, "codecov-commenter", null, recordedBody,
            DateTimeOffset.Parse("2021-10-11T03:34:04Z"), DateTimeOffset.Parse("2021-10-11T03:34:56Z"), null, null, null, null, null,
            ContentHash.Of(recordedBody)), row);
    }

    [Fact]
    public void MapReviewComment_RecordedThreadWithAReply_LinksTheReplyAndKeepsTheHunk()
    {
        var thread = RecordedPages.Nodes(RecordedPages.GhTalkPullRequest("pr_full_response").GetProperty("reviewThreads"))[0];

        var rows = RecordedPages.Nodes(thread.GetProperty("comments"))
            .Select(c => CommentMapper.MapReviewComment(c, "PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQeTN")).ToList();

        const string hunk = "@@ -0,0 +1,25 @@\n+package main\n+\n+import \"fmt\"\n+\n+// TestFunction demonstrates some code for review testing\n+func TestFunction() {\n+\t// TODO: This could be improved";
        const string first = "Consider using a constant for the TODO comment";
        const string reply = "Good point! I will refactor this to use a constant.";
        // The capture asked for position / originalPosition, not line / originalLine, and for no review: those stay empty.
        Assert.Equal(
        [
            new CommentRow("PR_kwDOQN97u86xFPR4", "PRRC_kwDOQN97u86UHqK7", 2485035707, CommentTypes.Review, "PRRT_kwDOQN97u85gQeTN", null, "hamishmorgan", null,
                first, DateTimeOffset.Parse("2025-11-02T21:43:10Z"), DateTimeOffset.Parse("2025-11-02T21:43:10Z"), "test_file.go", null, null, hunk, null,
                ContentHash.Of(first)),
            new CommentRow("PR_kwDOQN97u86xFPR4", "PRRC_kwDOQN97u86UHqOo", 2485035944, CommentTypes.Review, "PRRT_kwDOQN97u85gQeTN", null, "hamishmorgan", null,
                reply, DateTimeOffset.Parse("2025-11-02T21:43:42Z"), DateTimeOffset.Parse("2025-11-02T21:43:42Z"), "test_file.go", null, null, hunk,
                "PRRC_kwDOQN97u86UHqK7", ContentHash.Of(reply)),
        ], rows);
    }

    [Fact]
    public void MapReviewComment_RecordedEmojiBody_IsStoredAsRecorded()
    {
        var thread = RecordedPages.Nodes(RecordedPages.GhTalkPullRequest("pr_with_resolved_threads").GetProperty("reviewThreads"))[2];

        var row = CommentMapper.MapReviewComment(RecordedPages.Nodes(thread.GetProperty("comments"))[1], "PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQfgh");

        Assert.Equal(("Thanks for the positive feedback! 👍", "PRRC_kwDOQN97u86UHrl7", (DateTimeOffset?)null),
            (row.Body, row.ReplyToNodeId, row.UpdatedAt));
    }
}
