using System.Text.Json.Nodes;
using Pulse.Core.GitHub;
using Pulse.Core.GitHub.Auth;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;

namespace Pulse.Core.Tests.GitHub;

/// <summary>Token pools and Enterprise Server against the simulator over HTTP, through the connections the extractor uses.</summary>
public sealed class GitHubConnectionTests
{
    private const string Query = """{ repository(owner: "synth-org", name: "repo-001") { pullRequests(first: 100) { totalCount } } }""";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<GitHubConnection> ConnectAsync(GitHubSimulatorServer sim, HttpClient http, GitHubCredentials credentials, string? url = null)
    {
        var secrets = new AesGcmSecretProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var integration = new Integration(1, 1, "github", new Uri(url ?? sim.GraphQLUrl.ToString()), "synth-org", secrets.Protect(credentials.Serialize()),
            new IntegrationSettings(), true, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        var connections = new GitHubConnections(new OneIntegration(integration), secrets, http, TimeProvider.System, new RateLimitBudgetOptions());
        return await connections.ForIntegrationAsync(1, 1, Ct);
    }

    private static async Task SendAsync(GitHubConnection connection, int queries)
    {
        for (var i = 0; i < queries; i++)
        {
            while (true)
            {
                var lane = connection.Pick();
                try
                {
                    (await lane.SendAsync(connection, Query, new JsonObject(), Ct)).Dispose();
                    break;
                }
                catch (GitHubTokenSetAsideException)
                {
                }
            }
        }
    }

    private static long Requests(GitHubSimulatorServer sim, string scope, string name) => (long?)sim.Stats.ToJson()[scope]![name]?["requests"] ?? 0;

    [Fact]
    public async Task Pick_TwoAccounts_EachQueryGoesToTheOneWithMoreLeft()
    {
        // alice has spent 30 of her 100 points elsewhere: Pulse spends bob's until both have as much left, then takes turns.
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, Tokens = ["alice:a1", "bob:b1"], PointsPerHour = 100 }, Ct);
        using var http = new HttpClient();
        var alice = new GitHubGraphQLClient(http, sim.GraphQLUrl, "a1");
        for (var i = 0; i < 30; i++) (await alice.SendAsync(Query, new JsonObject(), Ct)).Dispose();
        var connection = await ConnectAsync(sim, http, GitHubCredentials.FromTokens(["a1", "b1"]));

        await SendAsync(connection, 40);

        Assert.Equal(["alice", "bob"], connection.Accounts.Select(a => a.Name).Order());
        var left = connection.Accounts.ToDictionary(a => a.Name, a => a.Budget.Current!.Remaining);
        Assert.InRange(Math.Abs(left["alice"] - left["bob"]), 0, 1);
        Assert.Equal(100 - 30 - 1 - 5, left["alice"]);   // her viewer lookup and 5 queries once the budgets met
        Assert.Equal(100 - 1 - 35, left["bob"]);
    }

    [Fact]
    public async Task Pick_TwoTokensOfOneUser_ShareOneBudget()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, Tokens = ["alice:a1", "alice:a2", "bob:b1"] }, Ct);
        using var http = new HttpClient();
        var connection = await ConnectAsync(sim, http, GitHubCredentials.FromTokens(["a1", "a2", "b1"]));

        await SendAsync(connection, 30);

        var alice = Assert.Single(connection.Accounts, a => a.Name == "alice");
        Assert.Equal(2, alice.TokenCount);
        Assert.Equal(2, connection.Accounts.Count);
        // Both of alice's tokens are used, and her budget is the one GitHub keeps for her, not one per token.
        Assert.True(Requests(sim, "tokens", "a1") > 1 && Requests(sim, "tokens", "a2") > 1);
        Assert.Equal(5_000 - (int)(long)sim.Stats.ToJson()["users"]!["alice"]!["points"]!, alice.Budget.Current!.Remaining);
        Assert.InRange(Requests(sim, "users", "alice") - Requests(sim, "users", "bob"), -1, 1);
    }

    [Fact]
    public async Task Pick_TokenRevokedMidRun_IsSetAsideVisiblyWhileTheOthersGoOn()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, Tokens = ["alice:a1", "bob:b1"] }, Ct);
        using var http = new HttpClient();
        var connection = await ConnectAsync(sim, http, GitHubCredentials.FromTokens(["a1", "b1"]));
        await SendAsync(connection, 4);

        Assert.True(sim.RevokeToken("b1"));
        await SendAsync(connection, 10);

        var bob = Assert.Single(connection.Accounts, a => a.Name == "bob");
        Assert.Equal("revoked", bob.Status);
        Assert.Contains("401 Bad credentials", bob.SetAsideReason, StringComparison.Ordinal);
        Assert.Equal("active", connection.Accounts.Single(a => a.Name == "alice").Status);
        // Refused once, then never sent again.
        Assert.Equal(1, (long)sim.Stats.ToJson()["totals"]!["errors"]![SimulatorStats.Kinds.Unauthorized]!);
    }

    [Fact]
    public async Task Pick_EveryTokenRevoked_FailsNamingEachAccount()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, Tokens = ["alice:a1", "bob:b1"] }, Ct);
        using var http = new HttpClient();
        var connection = await ConnectAsync(sim, http, GitHubCredentials.FromTokens(["a1", "b1"]));
        sim.RevokeToken("a1");
        sim.RevokeToken("b1");

        var error = await Assert.ThrowsAsync<GitHubAuthException>(() => SendAsync(connection, 3));

        Assert.StartsWith("GitHub refused every token of the integration", error.Message, StringComparison.Ordinal);
        Assert.Contains("alice: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("bob: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_EnterpriseServerWithoutRateLimit_NeverWaitsAndSaysNotEnforced()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0, EnterpriseServer = true, PointsPerHour = 1 }, Ct);
        using var http = new HttpClient();
        // The host alone, as a user types it for Enterprise Server.
        var connection = await ConnectAsync(sim, http, GitHubCredentials.FromTokens(["sim-token"]), GitHubEndpoints.Parse(sim.BaseUrl.ToString()).GraphQL.ToString());

        // Far more than the 1 point an hour a github.com budget would give: Enterprise Server with rate limiting off counts none.
        for (var i = 0; i < 20; i++)
        {
            var lane = connection.Pick();
            await lane.Budget.WaitForAsync(1, new NeverPaused(), Ct);
            using var answer = await lane.SendAsync(connection, "{ rateLimit { cost remaining } viewer { login } }", new JsonObject(), Ct);
            Assert.Null(answer.RateLimit);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.Data.GetProperty("rateLimit").ValueKind);
            Assert.Null(answer.Cost);
        }

        Assert.True(connection.RateLimitNotEnforced);
        Assert.Null(connection.Combined);
    }

    private sealed class NeverPaused : IRateLimitPauseListener
    {
        public Task PausedAsync(DateTimeOffset resumeAt, CancellationToken ct) => throw new InvalidOperationException($"Paused until {resumeAt:O} with no limit enforced.");
        public Task ResumedAsync(CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class OneIntegration(Integration integration) : IIntegrationStore
    {
        public Task<Integration?> GetAsync(long tenantId, long integrationId, CancellationToken ct) => Task.FromResult<Integration?>(integration);
        public Task<Integration> EnsureAsync(long tenantId, Uri graphQLUrl, string owner, string? protectedToken, IntegrationSettings settings, CancellationToken ct) => throw new NotSupportedException();
        public Task<Integration?> CreateAsync(long tenantId, Uri graphQLUrl, string owner, string protectedToken, IntegrationSettings settings, DateTimeOffset firstRun, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<Integration>> ListAsync(long tenantId, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> UpdateAsync(long tenantId, long integrationId, IntegrationChange change, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> SetActiveAsync(long tenantId, long integrationId, bool active, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> DeleteAsync(long tenantId, long integrationId, CancellationToken ct) => throw new NotSupportedException();
    }
}
