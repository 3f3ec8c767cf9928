using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pulse.Core.GitHub;
using Pulse.Core.GitHub.Auth;
using Pulse.GitHubSimulator.Http;

namespace Pulse.Core.Tests.GitHub.Auth;

/// <summary>The App flow against the simulator over HTTP, Pulse and the simulator sharing one fake clock.</summary>
public sealed class InstallationTokenSourceTests
{
    private const long AppId = 4711;
    private const long InstallationId = 90210;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly AppKeys Keys = AppKeys.Create();

    private static async Task<(GitHubSimulatorServer Sim, FakeTimeProvider Clock)> StartAsync(TimeSpan? ttl = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            ProcessingTimeScale = 0, TimeProvider = clock, Apps = [Keys.App(AppId, InstallationId)], InstallationTokenTtl = ttl ?? TimeSpan.FromHours(1),
        }, Ct);
        return (sim, clock);
    }

    private static InstallationTokenSource Source(HttpClient http, GitHubSimulatorServer sim, TimeProvider clock, long appId = AppId, long installation = InstallationId) =>
        new(http, GitHubEndpoints.ForGraphQL(sim.GraphQLUrl), new GitHubAppCredentials(appId, Keys.PrivatePem, installation), clock);

    [Fact]
    public async Task GetAsync_TokenWithinFiveMinutesOfExpiry_IsReplacedBeforeItLapses()
    {
        var (sim, clock) = await StartAsync();
        await using var _ = sim;
        using var http = new HttpClient();
        using var source = Source(http, sim, clock);

        var first = await source.GetAsync(Ct);
        clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(first, await source.GetAsync(Ct));   // six minutes left: kept
        clock.Advance(TimeSpan.FromMinutes(2));
        var second = await source.GetAsync(Ct);            // four minutes left: replaced

        Assert.NotEqual(first, second);
        Assert.Equal(2, source.Exchanges);
        Assert.True(first.Length > 40, "the simulator issues GitHub's longer installation-token format");
    }

    [Fact]
    public async Task SendAsync_TwoHoursOfQueries_NeverFailOnExpiry()
    {
        var (sim, clock) = await StartAsync();
        await using var _ = sim;
        using var http = new HttpClient();
        using var source = Source(http, sim, clock);
        var client = new GitHubGraphQLClient(http, sim.GraphQLUrl, source);

        // A query every 5 minutes of the simulator's clock for 2 hours: the installation token expires twice.
        for (var minute = 0; minute <= 120; minute += 5)
        {
            using var answer = await client.SendAsync("{ rateLimit { remaining } }", new JsonObject(), Ct);
            Assert.NotNull(answer.RateLimit);
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(3, source.Exchanges);
        Assert.False(sim.Stats.ToJson()["totals"]!["errors"]!.AsObject().ContainsKey(SimulatorStats.Kinds.Unauthorized));
    }

    [Fact]
    public async Task SendAsync_TokenRefusedEarly_IsRenewedOnceAndTheQueryAnswered()
    {
        var (sim, clock) = await StartAsync();
        await using var _ = sim;
        using var http = new HttpClient();
        using var source = Source(http, sim, clock);
        var client = new GitHubGraphQLClient(http, sim.GraphQLUrl, source);
        Assert.True(sim.RevokeToken(await source.GetAsync(Ct)));

        using var answer = await client.SendAsync("{ rateLimit { remaining } }", new JsonObject(), Ct);

        Assert.Equal(2, source.Exchanges);
        Assert.Equal(5_000 + 50 * 3, answer.RateLimit!.Limit);   // the installation's budget: 3 repositories in the default data set
    }

    [Fact]
    public async Task SendAsync_TokenRefusedAndNoNewOneToBeHad_FailsAfterOneRenewalWithItsCause()
    {
        var (sim, clock) = await StartAsync();
        await using var _ = sim;
        using var http = new HttpClient();
        using var source = Source(http, sim, clock);
        var client = new GitHubGraphQLClient(http, sim.GraphQLUrl, source);
        Assert.True(sim.RevokeToken(await source.GetAsync(Ct)));
        Assert.True(sim.SuspendInstallation(InstallationId));

        var error = await Assert.ThrowsAsync<GitHubAuthException>(() => client.SendAsync("{ rateLimit { remaining } }", new JsonObject(), Ct));

        Assert.Contains("is suspended", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, source.Exchanges);
        Assert.Equal(1, (long)sim.Stats.ToJson()["totals"]!["errors"]![SimulatorStats.Kinds.Unauthorized]!);
    }

    [Fact]
    public async Task GetAsync_WrongAppId_FailsWithOneLineNamingTheApp()
    {
        var (sim, clock) = await StartAsync();
        await using var _ = sim;
        using var http = new HttpClient();
        using var source = Source(http, sim, clock, appId: 4712);

        var error = await Assert.ThrowsAsync<GitHubAuthException>(async () => await source.GetAsync(Ct));

        Assert.Equal("GitHub refused the JWT of GitHub App 4712 (401 A JSON web token could not be decoded): the App id does not match the private key, or the key was revoked.",
            error.Message);
    }

    [Fact]
    public async Task GetAsync_UnknownInstallation_FailsWithOneLineNamingIt()
    {
        var (sim, clock) = await StartAsync();
        await using var _ = sim;
        using var http = new HttpClient();
        using var source = Source(http, sim, clock, installation: 1);

        var error = await Assert.ThrowsAsync<GitHubAuthException>(async () => await source.GetAsync(Ct));

        Assert.Equal("GitHub App 4711 has no installation 1 (404 Not Found): check the installation id.", error.Message);
    }

    [Fact]
    public async Task GetAsync_SuspendedInstallation_FailsWithOneLineSayingSo()
    {
        var (sim, clock) = await StartAsync();
        await using var _ = sim;
        using var http = new HttpClient();
        using var source = Source(http, sim, clock);
        Assert.True(sim.SuspendInstallation(InstallationId));

        var error = await Assert.ThrowsAsync<GitHubAuthException>(async () => await source.GetAsync(Ct));

        Assert.Equal("GitHub App 4711's installation 90210 is suspended (403 This installation has been suspended): an owner of the organisation must unsuspend it.",
            error.Message);
    }

    [Fact]
    public void FromApp_NotAPrivateKey_IsRefusedWithTheBadKeyLine()
    {
        var error = Assert.Throws<ArgumentException>(() => GitHubCredentials.FromApp(AppId, Keys.PublicPem, InstallationId));

        Assert.Equal(GitHubAppCredentials.BadKeyMessage, error.Message);
        Assert.Equal(GitHubAppCredentials.BadKeyMessage, Assert.Throws<ArgumentException>(() => GitHubCredentials.FromApp(AppId, "not a key", InstallationId)).Message);
    }
}
