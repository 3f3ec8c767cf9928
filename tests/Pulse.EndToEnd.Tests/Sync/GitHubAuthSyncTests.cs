using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Pulse.Core.GitHub;
using Pulse.Core.GitHub.Auth;
using Pulse.EndToEnd.Tests.BadInput;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Whole syncs signed in as an App installation, through a token pool, and against Enterprise Server, over HTTP.</summary>
public sealed class GitHubAuthSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_InstallationTokenExpiresTwiceMidRun_CompletesWithOneRenewalEach()
    {
        using var rsa = RSA.Create(2048);
        // One clock for GitHub and Pulse's connections, moved an hour on twice mid-run: the installation token expires under the run.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await InstallationExpiry.StartSimulatorAsync(rsa, clock, 11, 22, Ct);
        await using var harness = new SyncHarness();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var expiries = InstallationExpiry.AfterRequestsAsync(sim, clock, [2, 6], stop.Token);

        var result = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, credentials: GitHubCredentials.FromApp(11, rsa.ExportRSAPrivateKeyPem(), 22),
            githubClock: clock, ct: Ct);
        await stop.CancelAsync();

        Assert.True(result.Succeeded, result.Error);
        var stats = sim.Stats.ToJson();
        Assert.True(await expiries == 2, $"the run ended after {stats["totals"]!["requests"]} requests, before the second expiry");
        // Three tokens in all: the first and one per expiry, however many workers met the expired one.
        Assert.Equal(3, stats["tokens"]!.AsObject().Count(t => t.Key.StartsWith("ghs_", StringComparison.Ordinal)));
        // Pulse sees the token is due and replaces it before sending; only a request in flight at the jump can be refused (and is renewed once).
        var refused = (long?)stats["totals"]!["errors"]![SimulatorStats.Kinds.Unauthorized] ?? 0;
        Assert.InRange(refused, 0, 4);
    }

    [Fact]
    public async Task Sync_PoolMemberRevokedMidRun_IsSetAsideAndTheOthersFinish()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(20), Tokens = ["alice:a1", "alice:a2", "bob:b1"],
        }, Ct);
        await using var harness = new SyncHarness();
        GitHubConnection? seen = null;
        var revoke = Task.Run(async () =>
        {
            while (sim.Stats.RecentRequests().Count < 6) await Task.Delay(5, Ct);
            sim.RevokeToken("b1");
        }, Ct);

        var result = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, credentials: GitHubCredentials.FromTokens(["a1", "a2", "b1"]),
            progress: (_, connection) => seen = connection, ct: Ct);
        await revoke;

        Assert.True(result.Succeeded, result.Error);
        Assert.NotNull(seen);
        Assert.Equal("revoked", seen.Accounts.Single(a => a.Name == "bob").Status);
        Assert.Equal("active", seen.Accounts.Single(a => a.Name == "alice").Status);
        var users = sim.Stats.ToJson()["users"]!;
        Assert.True((long)users["bob"]!["requests"]! > 1 && (long)users["alice"]!["requests"]! > (long)users["bob"]!["requests"]!);
    }

    [Fact]
    public async Task Sync_EnterpriseServerWithRateLimitingOff_CompletesAndSaysNotEnforced()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, EnterpriseServer = true }, Ct);
        var database = Path.Combine(Path.GetTempPath(), $"pulse-ghes-{Guid.NewGuid():N}.db");
        try
        {
            // The host alone, as an Enterprise Server admin gives it; the sync runs as the pulse CLI.
            var (code, output) = await CliBadInputTests.RunAsync(["sync", "--github-url", sim.BaseUrl.ToString().TrimEnd('/'), "--owner", SyntheticDataset.OrganizationLogin,
                "--token", "sim-token", "--no-embeddings", "--database", $"sqlite:{database}"]);

            Assert.True(code == 0, output);
            Assert.Contains("FINISHED", output, StringComparison.Ordinal);
            Assert.Contains("| rate limit: not enforced", output, StringComparison.Ordinal);
            Assert.DoesNotContain("points used", output, StringComparison.Ordinal);
            Assert.True((long)sim.Stats.ToJson()["totals"]!["requests"]! > 3);
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(database) + "*")) File.Delete(file);
        }
    }
}
