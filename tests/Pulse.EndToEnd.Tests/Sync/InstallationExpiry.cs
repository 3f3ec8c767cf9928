using Microsoft.Extensions.Time.Testing;
using Pulse.GitHubSimulator.Http;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Expires installation tokens under a running sync by moving GitHub's (fake) clock past their hour.</summary>
internal static class InstallationExpiry
{
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
