using System.Net;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class TimeoutTests
{
    [Fact]
    public async Task Post_ProcessingOverTenSeconds_Returns502Or504AndStaysCharged()
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("cost:6 ms:10001");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadGateway, HttpStatusCode.GatewayTimeout });
        Assert.Contains("We couldn't respond to your request in time", text);
        Assert.Equal("6", Header(response, "x-ratelimit-used"));
        Assert.Equal("6", Header(await sim.PostAsync("cost:0"), "x-ratelimit-used"));
        Assert.Equal(1, sim.Server.Stats.For("sim-token").Errors[SimulatorStats.Kinds.Timeout]);
    }

    [Fact]
    public async Task Post_ProcessingUnderTenSeconds_IsServed()
    {
        await using var sim = await StartAsync();

        var response = await sim.PostAsync("cost:6 ms:9999");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithTimeScale_SleepsScaledProcessingPlusLatency()
    {
        await using var sim = await StartAsync(new SimulatorOptions { ProcessingTimeScale = 0.05, Latency = TimeSpan.FromMilliseconds(100) });
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await sim.PostAsync("ms:4000");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {watch.Elapsed}");
    }
}
