using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

/// <summary>Replays mergestat's recorded commits page of mergestat/mergestat#193 through the mapper.</summary>
public sealed class CommitMapperTests
{
    [Fact]
    public void Map_RecordedCommit_GivesTheRecordedValuesWithGitActorDatesInUtc()
    {
        var pr = RecordedPages.MergestatRepository("TestPRCommits").GetProperty("pullRequest");
        var node = Assert.Single(RecordedPages.Nodes(pr.GetProperty("commits")));

        var row = CommitMapper.Map(node, pr.GetProperty("id").GetString()!);

        const string message = "add a `topics` column to `github_user_repos` and `github_org_repos` tables\n\nthat's a JSON array of the GitHub topics associated with a repo";
        // The query asked for no authoredDate / committedDate: the git actors' dates (recorded at -04:00) stand in, as UTC instants.
        var date = new DateTimeOffset(2021, 10, 11, 3, 31, 16, TimeSpan.Zero);
        Assert.Equal(new CommitRow(
            "PR_kwDOEIJSDM4s_pJJ", "cf8ca56e9e0fa106d42524cc965bbb1780920145", message,
            "Patrick DeVivo", "patrick.devivo@gmail.com", null, "Patrick DeVivo", "patrick.devivo@gmail.com", null,
            date, date, 252, 215, ContentHash.Of(message)), row);
        Assert.Equal(TimeSpan.Zero, row.AuthoredDate!.Value.Offset);
    }
}
