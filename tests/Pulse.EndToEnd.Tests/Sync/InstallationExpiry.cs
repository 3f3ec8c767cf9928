using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Expires installation tokens under a running sync by moving GitHub's (fake) clock past their hour.</summary>
internal static class InstallationExpiry
{
    /// <summary>
    /// A simulator serving 3 repositories of 300 PRs to one App installation (<paramref name="key"/>'s public half), on
    /// <paramref name="clock"/>: GitHub's clock, which the test moves past the token's hour. No latency: the simulator would
    /// wait for it on its fake clock.
    /// </summary>
    public static Task<GitHubSimulatorServer> StartSimulatorAsync(RSA key, FakeTimeProvider clock, long appId, long installationId, CancellationToken ct) =>
        GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, TimeProvider = clock,
            Synthetic = new SyntheticSpec { Repositories = 3, PullRequests = 300, Seed = 7 },
            Apps = [new SimulatedApp(appId, key.ExportSubjectPublicKeyInfoPem(), installationId)],
        }, ct);

    /// <summary>Moves the clock 61 minutes on once the simulator has seen each count of requests in turn; returns how many times it did.</summary>
    public static async Task<int> AfterRequestsAsync(GitHubSimulatorServer sim, FakeTimeProvider clock, IReadOnlyList<int> requests, CancellationToken ct)
    {
        var done = 0;
        try
        {
            foreach (var after in requests)
            {
                while (sim.Stats.RecentRequests().Count < after) await Task.Delay(5, ct);
                clock.Advance(TimeSpan.FromMinutes(61));
                done++;
            }
        }
        catch (OperationCanceledException)
        {
        }
        return done;
    }
}
