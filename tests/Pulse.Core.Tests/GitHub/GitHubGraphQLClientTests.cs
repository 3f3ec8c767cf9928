using System.Text.Json.Nodes;
using Pulse.Core.GitHub;
using Pulse.GitHubSimulator.Http;

namespace Pulse.Core.Tests.GitHub;

/// <summary>How the client classifies GitHub's answers that are not data, against the simulator over HTTP.</summary>
public sealed class GitHubGraphQLClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_SecondaryLimitAs200Or403_WithOrWithoutRetryAfter_IsASecondaryLimitToWaitOut()
    {
        var tokens = Enumerable.Range(0, 24).Select(i => $"t{i}").ToList();
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, Tokens = tokens, Seed = 11, Faults = new Dictionary<FaultKind, double> { [FaultKind.Secondary] = 1.0 },
        }, Ct);
        using var http = new HttpClient();

        var limits = new List<GitHubSecondaryLimitException>();
        foreach (var token in tokens)
        {
            var client = new GitHubGraphQLClient(http, sim.GraphQLUrl, token);
            limits.Add(await Assert.ThrowsAsync<GitHubSecondaryLimitException>(() => client.SendAsync("{ viewer { login } }", [], Ct)));
        }

        Assert.Contains(limits, e => e.Message.Contains("(200)", StringComparison.Ordinal));
        Assert.Contains(limits, e => e.Message.Contains("(403)", StringComparison.Ordinal));
        // retry-after 60, or GitHub's "wait for at least one minute" without one.
        Assert.All(limits, e => Assert.Equal(TimeSpan.FromSeconds(60), e.RetryAfter));
    }

    [Fact]
    public async Task SendAsync_QueryGitHubTimesOut_IsATimeoutToMakeSmaller()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, TimingScale = 1_000 }, Ct);
        using var http = new HttpClient();
        var client = new GitHubGraphQLClient(http, sim.GraphQLUrl, "sim-token");

        var timeout = await Assert.ThrowsAsync<GitHubTransientException>(() =>
            client.SendAsync("""{ repository(owner: "synth-org", name: "repo-001") { pullRequests(first: 50) { nodes { title } } } }""", new JsonObject(), Ct));

        Assert.True(timeout.IsTimeout);
        Assert.Equal("502", timeout.Kind);
    }
}
