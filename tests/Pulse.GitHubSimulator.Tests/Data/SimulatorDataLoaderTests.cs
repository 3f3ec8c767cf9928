using System.IO.Compression;
using System.Text;
using Pulse.GitHubSimulator.Data;

namespace Pulse.GitHubSimulator.Tests.Data;

public class SimulatorDataLoaderTests
{
    [Fact]
    public void LoadFile_GzipDataSet_DetectedAndIndexed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pulse-dataset-{Guid.NewGuid():N}.json.gz");
        try
        {
            using (var file = File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
                gzip.Write(Encoding.UTF8.GetBytes(TestDataSet.Json));
            var data = SimulatorDataLoader.LoadFile(path);
            Assert.Equal(3, data.Counts["pullRequests"]);
            Assert.Equal(2, data.Counts["commits"]);
            Assert.Equal(2, data.Counts["owners"]);
            Assert.Equal(new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), data.Now);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_DataSetLargerThanReadBuffer_StreamsEveryPullRequest()
    {
        var prs = string.Join(",", Enumerable.Range(1, 2000).Select(n =>
            $$"""{"id":"PR_{{n}}","number":{{n}},"title":"{{new string('t', 100)}}","createdAt":"2024-01-01T00:00:00Z"}"""));
        var json = $$"""{"generatedAt":"2024-02-01T00:00:00Z","repositories":[{"owner":"acme","name":"big","pullRequests":[{{prs}}]}],"owners":[{"login":"acme","__typename":"User"}]}""";
        var data = SimulatorDataLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(2000, data.Counts["pullRequests"]);
        var body = TestDataSet.Run(data, "{ user(login: \"acme\") { repository(name: \"big\") { pullRequest(number: 1999) { id } } } }");
        Assert.Equal("PR_1999", (string?)body["data"]!["user"]!["repository"]!["pullRequest"]!["id"]);
    }

    [Theory]
    [InlineData("""{"__typename":"LabeledEvent","id":"LE_1"}""", "LE_1 of type \"LabeledEvent\"")]
    [InlineData("""{"id":"X_1"}""", "X_1 of type (no __typename)")]
    public void Load_TimelineItemOfAnotherType_FailsNamingItAndTheTypesAllowed(string item, string named)
    {
        var json = $$"""{"generatedAt":"2024-02-01T00:00:00Z","repositories":[{"owner":"acme","name":"r","pullRequests":[{"id":"PR_1","number":1,"timelineItems":[{{item}}]}]}]}""";

        var error = Assert.Throws<ArgumentException>(() => SimulatorDataLoader.FromJson(json));

        Assert.Contains($"Pull request PR_1 has a timeline item {named}", error.Message);
        Assert.Contains("hold only ReadyForReviewEvent, ConvertToDraftEvent", error.Message);
    }
}
