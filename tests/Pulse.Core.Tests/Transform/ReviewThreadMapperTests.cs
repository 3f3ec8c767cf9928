using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

/// <summary>Replays gh-talk's recorded review threads (hamishmorgan/gh-talk#1, before and after two were resolved) through the mapper.</summary>
public sealed class ReviewThreadMapperTests
{
    [Fact]
    public void Map_RecordedOpenThreads_GiveTheRecordedValues()
    {
        var pr = RecordedPages.GhTalkPullRequest("pr_full_response");

        var rows = RecordedPages.Nodes(pr.GetProperty("reviewThreads")).Select(t => ReviewThreadMapper.Map(t, "PR_kwDOQN97u86xFPR4")).ToList();

        Assert.Equal(
        [
            new ReviewThreadRow("PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQeTN", false, false, false, "test_file.go", 7, 7, "RIGHT", null),
            new ReviewThreadRow("PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQecu", false, false, false, "test_file.go", 14, 14, "RIGHT", null),
        ], rows);
    }

    [Fact]
    public void Map_RecordedResolvedThreads_CarryWhoResolvedThem()
    {
        var pr = RecordedPages.GhTalkPullRequest("pr_with_resolved_threads");

        var rows = RecordedPages.Nodes(pr.GetProperty("reviewThreads")).Select(t => ReviewThreadMapper.Map(t, "PR_kwDOQN97u86xFPR4")).ToList();

        // This capture asked for neither startLine nor diffSide.
        Assert.Equal(
        [
            new ReviewThreadRow("PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQeTN", false, false, false, "test_file.go", 7, null, null, null),
            new ReviewThreadRow("PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQecu", false, false, false, "test_file.go", 14, null, null, null),
            new ReviewThreadRow("PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQfgh", true, false, true, "test_file.go", 10, null, null, "hamishmorgan"),
            new ReviewThreadRow("PR_kwDOQN97u86xFPR4", "PRRT_kwDOQN97u85gQfgi", true, false, true, "test_file.go", 18, null, null, "hamishmorgan"),
        ], rows);
    }
}
