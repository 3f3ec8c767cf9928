using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

/// <summary>Replays mergestat's recorded reviews page of mergestat/mergestat#261 through the mapper.</summary>
public sealed class ReviewMapperTests
{
    [Fact]
    public void Map_RecordedReviews_GiveTheRecordedValuesInPageOrder()
    {
        var pr = RecordedPages.MergestatRepository("TestPRReviews").GetProperty("pullRequest");

        var rows = RecordedPages.Nodes(pr.GetProperty("reviews")).Select(n => ReviewMapper.Map(n, pr.GetProperty("id").GetString()!)).ToList();

        var commented = DateTimeOffset.Parse("2022-02-28T19:22:22Z");
        var approved = DateTimeOffset.Parse("2022-03-02T23:44:33Z");
        // No databaseId, author type or commit was asked for; an empty review body is kept as "" (and hashed as such).
        Assert.Equal(
        [
            new ReviewRow("PR_kwDOEIJSDM4zLnWt", "PRR_kwDOEIJSDM41YD9j", null, "patrickdevivo", null, "COMMENTED", "", commented, commented, commented, null,
                ContentHash.Of("")),
            new ReviewRow("PR_kwDOEIJSDM4zLnWt", "PRR_kwDOEIJSDM41ivam", null, "patrickdevivo", null, "APPROVED", "", approved, approved, approved, null,
                ContentHash.Of("")),
        ], rows);
    }
}
