using System.Net;
using Pulse.GitHubSimulator.Http;
using static Pulse.GitHubSimulator.Tests.TestSupport.SimulatorHarness;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Issue 12, row 9: secondary limits "for undisclosed reasons" (--faults secondary=RATE), in all of GitHub's forms.</summary>
public sealed class SecondaryFaultTests
{
    private const string Message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

    [Fact]
    public async Task Post_SecondaryFault_Answers403Or200WithOrWithoutRetryAfterInGitHubsBody()
    {
        var users = Enumerable.Range(0, 40).Select(i => $"u{i}").ToList();
        await using var sim = await StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, Seed = 3, Tokens = users, Faults = new Dictionary<FaultKind, double> { [FaultKind.Secondary] = 1.0 },
        });

        var answers = new List<HttpResponseMessage>();
        foreach (var user in users) answers.Add(await sim.PostAsync("cost:1", $"bearer {user}"));

        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Forbidden);
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Contains(answers, a => Header(a, "retry-after") == "60");
        Assert.Contains(answers, a => Header(a, "retry-after") == "");
        foreach (var answer in answers)
            Assert.StartsWith(Message, (string?)(await BodyAsync(answer))["message"]);
        Assert.Equal(0, sim.Server.Stats.ToJson()["totals"]!["points"]!.GetValue<long>());
    }

    [Fact]
    public async Task Post_AfterASecondaryFault_TheUserIsLimitedOnEveryTokenForItsPeriod()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sim = await StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, TimeProvider = clock, Tokens = ["alice:t1", "alice:t2", "bob:t3"],
            Faults = new Dictionary<FaultKind, double> { [FaultKind.Secondary] = 1.0 },
        });

        await sim.PostAsync("cost:1", "bearer t1");
        clock.Advance(TimeSpan.FromSeconds(20));
        var sameUser = await sim.PostAsync("cost:1", "bearer t2");

        Assert.Equal(HttpStatusCode.Forbidden, sameUser.StatusCode);
        Assert.Equal("40", Header(sameUser, "retry-after"));
        Assert.Equal(1, sim.Server.Stats.For("t2").Errors[SimulatorStats.Kinds.Secondary]);
    }
}
