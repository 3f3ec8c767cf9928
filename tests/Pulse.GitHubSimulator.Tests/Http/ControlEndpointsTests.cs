using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class ControlEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stats_AfterRequests_CountsPerTokenAndTotals()
    {
        await using var sim = await StartAsync(new SimulatorOptions { Tokens = ["a", "b"], ProcessingTimeScale = 0 });
        await sim.PostAsync("cost:3", "bearer a");
        await sim.PostAsync("invalid", "bearer a");
        await sim.PostAsync("cost:2", "bearer b");
        await sim.PostAsync("cost:2", null);

        var stats = (JsonObject)JsonNode.Parse(await sim.Client.GetStringAsync("_sim/stats", Ct))!;

        Assert.Equal(2, (long)stats["tokens"]!["a"]!["requests"]!);
        Assert.Equal(3, (long)stats["tokens"]!["a"]!["points"]!);
        Assert.Equal(3, (long)stats["tokens"]!["a"]!["nodes"]!);
        Assert.Equal(1, (long)stats["tokens"]!["a"]!["errors"]!["validation"]!);
        Assert.Equal(4, (long)stats["totals"]!["requests"]!);
        Assert.Equal(5, (long)stats["totals"]!["points"]!);
        Assert.Equal(1, (long)stats["totals"]!["errors"]!["unauthorized"]!);
    }

    [Fact]
    public async Task Reset_AfterCharging_RefillsBucketsAndZeroesCounters()
    {
        await using var sim = await StartAsync();
        await sim.PostAsync("cost:30");

        var reset = await sim.Client.PostAsync("_sim/reset", null, Ct);
        var after = await sim.PostAsync("cost:1");

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal("1", Header(after, "x-ratelimit-used"));
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Requests);
    }

    [Fact]
    public async Task Mutate_ClosePr_MovesUpdatedAtAndAnswersTheResult()
    {
        await using var sim = await StartAsync();
        var mutation = """{"op":"close_pr","owner":"acme","repo":"widgets","number":1}""";

        var response = await sim.Client.PostAsync("_sim/mutate", new StringContent(mutation, Encoding.UTF8, "application/json"), Ct);
        var result = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updatedAt = DateTimeOffset.Parse((string)result["updatedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(updatedAt > DateTimeOffset.Parse("2025-12-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{"op":"close_pr","owner":"acme","repo":"nope","number":1}""", "nope")]
    [InlineData("""{"op":"close_pr","owner":"acme","repo":"widgets","number":99}""", "#99")]
    [InlineData("""[1,2]""", "one JSON object")]
    [InlineData("""{not json""", "not JSON")]
    public async Task Mutate_BadInput_Returns400WithMessage(string body, string expectedInMessage)
    {
        await using var sim = await StartAsync();

        var response = await sim.Client.PostAsync("_sim/mutate", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var result = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expectedInMessage, (string)result["message"]!);
    }

    [Fact]
    public async Task DataCounts_TinyDataset_CountsOnePullRequest()
    {
        await using var sim = await StartAsync();

        var counts = (JsonObject)JsonNode.Parse(await sim.Client.GetStringAsync("_sim/data/counts", Ct))!;

        Assert.Equal(1, (long)counts["pullRequests"]!);
        Assert.Equal(1, (long)counts["repositories"]!);
        Assert.Equal(1, sim.Server.DataCounts["pullRequests"]);
    }
}
