using System.Net;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

public sealed class AnswerGateTests
{
    [Fact]
    public async Task Hold_KeepsAnswersBackUntilReleased_ThenTheyArriveUnchanged()
    {
        await using var sim = await StartAsync();
        var ct = TestContext.Current.CancellationToken;

        Task<HttpResponseMessage> pending;
        using (sim.Server.Answers.Hold())
        {
            pending = sim.PostAsync("cost:1");
            while (sim.Server.Answers.Waiting == 0) await Task.Delay(10, ct);
            await Task.Delay(200, ct);
            Assert.False(pending.IsCompleted);
        }

        var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Header(response, "x-ratelimit-used"));
        Assert.Equal(0, sim.Server.Answers.Waiting);
        Assert.Equal(HttpStatusCode.OK, (await sim.PostAsync("cost:1")).StatusCode);
    }
}
