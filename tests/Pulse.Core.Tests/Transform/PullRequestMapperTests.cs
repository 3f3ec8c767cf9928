using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

/// <summary>Replays mergestat's recorded pull-request listing page (mergestat/mergestat, first 50 PRs) through the mapper.</summary>
public sealed class PullRequestMapperTests
{
    private static JsonElement RecordedPr(int number) =>
        RecordedPages.Nodes(RecordedPages.MergestatRepository("TestRepoPRs").GetProperty("pullRequests")).Single(n => n.GetProperty("number").GetInt32() == number);

    // mergestat's query never asked for the node id, which GitHub gives every node: the one field added to the recording.
    private static JsonElement WithNodeId(JsonElement node, string id)
    {
        var copy = JsonNode.Parse(node.GetRawText())!.AsObject();
        copy["id"] = id;
        return JsonDocument.Parse(copy.ToJsonString()).RootElement;
    }

    [Fact]
    public void Map_RecordedMergedPr_GivesTheRecordedValues()
    {
        var row = PullRequestMapper.Map(WithNodeId(RecordedPr(4), "PR_4"), repositoryId: 17);

        const string title = "add pull_request to github actions file";
        const string body = "Just specifying \"push\" doesn't seem to trigger an actions run for PRs opened from forks, maybe this will?";
        Assert.Equal(new PullRequestRow(
            17, "PR_4", 444427215, 4, title, body, "https://github.com/mergestat/mergestat/pull/4", "MERGED", false,
            "patrickdevivo", null, "patrickdevivo", "master", "github-actions-on-pr", "96009b96edd0a88d515751ed835373ff24f2ea3a",
            "c09feac73d2c275128fc7b2da74c05349576baec", 1, 1, 1,
            DateTimeOffset.Parse("2020-07-05T16:07:36Z"), DateTimeOffset.Parse("2020-07-05T16:10:54Z"),
            DateTimeOffset.Parse("2020-07-05T16:10:49Z"), DateTimeOffset.Parse("2020-07-05T16:10:49Z"),
            1, 0, 0, 0, ContentHash.Of(title + "\n\n" + body)), row);
    }

    [Fact]
    public void Map_RecordedPrWithEmptyBody_HashesTheTitleAlone()
    {
        var row = PullRequestMapper.Map(WithNodeId(RecordedPr(1), "PR_1"), repositoryId: 17);

        Assert.Equal(("address some golint issues", "", 7, 7, 2), (row.Title, row.Body, row.Additions, row.Deletions, row.ChangedFiles));
        Assert.Equal(ContentHash.Of("address some golint issues"), row.ContentHash);
    }

    [Fact]
    public void Map_RecordedNodeWithoutId_RefusesNamingTheField()
    {
        var error = Assert.Throws<InvalidDataException>(() => PullRequestMapper.Map(RecordedPr(4), repositoryId: 17));

        Assert.Contains("'id'", error.Message);
    }

    [Fact]
    public void Map_RecordedGhTalkPrWithoutTimestamps_RefusesNamingTheField()
    {
        var error = Assert.Throws<InvalidDataException>(() => PullRequestMapper.Map(RecordedPages.GhTalkPullRequest("pr_full_response"), repositoryId: 3));

        Assert.Contains("'createdAt'", error.Message);
    }
}
