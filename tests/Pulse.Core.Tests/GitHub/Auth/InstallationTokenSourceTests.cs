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

    /// <summary>A simulator serving the App, Pulse's token source for one of its installations, both on one fake clock.</summary>
    private sealed class Installation : IAsyncDisposable
    {
        private readonly HttpClient _http = new();

        private Installation(GitHubSimulatorServer sim, FakeTimeProvider clock, long appId, long installationId)
        {
            (Sim, Clock) = (sim, clock);
            Source = new InstallationTokenSource(_http, GitHubEndpoints.ForGraphQL(sim.GraphQLUrl), new GitHubAppCredentials(appId, Keys.PrivatePem, installationId), clock);
            Client = new GitHubGraphQLClient(_http, sim.GraphQLUrl, Source);
        }

        public GitHubSimulatorServer Sim { get; }
        public FakeTimeProvider Clock { get; }
        public InstallationTokenSource Source { get; }
        public GitHubGraphQLClient Client { get; }

        /// <summary>Signs in as <paramref name="appId"/>'s <paramref name="installationId"/>; the simulator knows only App 4711's installation 90210.</summary>
        public static async Task<Installation> StartAsync(long appId = AppId, long installationId = InstallationId)
        {
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
            {
                ProcessingTimeScale = 0, TimeProvider = clock, Apps = [Keys.App(AppId, InstallationId)],
            }, Ct);
            return new Installation(sim, clock, appId, installationId);
        }

        public async ValueTask DisposeAsync()
        {
            Source.Dispose();
            _http.Dispose();
            await Sim.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetAsync_TokenWithinFiveMinutesOfExpiry_IsReplacedBeforeItLapses()
    {
        await using var app = await Installation.StartAsync();

        var first = await app.Source.GetAsync(Ct);
        app.Clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(first, await app.Source.GetAsync(Ct));   // six minutes left: kept
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = await app.Source.GetAsync(Ct);            // four minutes left: replaced

        Assert.NotEqual(first, second);
        Assert.Equal(2, app.Source.Exchanges);
        Assert.True(first.Length > 40, "the simulator issues GitHub's longer installation-token format");
    }

    [Fact]
    public async Task SendAsync_TwoHoursOfQueries_NeverFailOnExpiry()
    {
        await using var app = await Installation.StartAsync();

        // A query every 5 minutes of the simulator's clock for 2 hours: the installation token expires twice.
        for (var minute = 0; minute <= 120; minute += 5)
        {
            using var answer = await app.Client.SendAsync("{ rateLimit { remaining } }", new JsonObject(), Ct);
            Assert.NotNull(answer.RateLimit);
            app.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(3, app.Source.Exchanges);
        Assert.False(app.Sim.Stats.ToJson()["totals"]!["errors"]!.AsObject().ContainsKey(SimulatorStats.Kinds.Unauthorized));
    }

    [Fact]
    public async Task SendAsync_TokenRefusedEarly_IsRenewedOnceAndTheQueryAnswered()
    {
        await using var app = await Installation.StartAsync();
        Assert.True(app.Sim.RevokeToken(await app.Source.GetAsync(Ct)));

        using var answer = await app.Client.SendAsync("{ rateLimit { remaining } }", new JsonObject(), Ct);

        Assert.Equal(2, app.Source.Exchanges);
        Assert.Equal(5_000 + 50 * 3, answer.RateLimit!.Limit);   // the installation's budget: 3 repositories in the default data set
    }

    [Fact]
    public async Task SendAsync_TokenRefusedAndNoNewOneToBeHad_FailsAfterOneRenewalWithItsCause()
    {
        await using var app = await Installation.StartAsync();
        Assert.True(app.Sim.RevokeToken(await app.Source.GetAsync(Ct)));
        Assert.True(app.Sim.SuspendInstallation(InstallationId));

        var error = await Assert.ThrowsAsync<GitHubAuthException>(() => app.Client.SendAsync("{ rateLimit { remaining } }", new JsonObject(), Ct));

        Assert.Contains("is suspended", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, app.Source.Exchanges);
        Assert.Equal(1, (long)app.Sim.Stats.ToJson()["totals"]!["errors"]![SimulatorStats.Kinds.Unauthorized]!);
    }

    [Fact]
    public async Task GetAsync_WrongAppId_FailsWithOneLineNamingTheApp()
    {
        await using var app = await Installation.StartAsync(appId: 4712);

        var error = await Assert.ThrowsAsync<GitHubAuthException>(async () => await app.Source.GetAsync(Ct));

        Assert.Equal("GitHub refused the JWT of GitHub App 4712 (401 A JSON web token could not be decoded): the App id does not match the private key, or the key was revoked.",
            error.Message);
    }

    [Fact]
    public async Task GetAsync_UnknownInstallation_FailsWithOneLineNamingIt()
    {
        await using var app = await Installation.StartAsync(installationId: 1);

        var error = await Assert.ThrowsAsync<GitHubAuthException>(async () => await app.Source.GetAsync(Ct));

        Assert.Equal("GitHub App 4711 has no installation 1 (404 Not Found): check the installation id.", error.Message);
    }

    [Fact]
    public async Task GetAsync_SuspendedInstallation_FailsWithOneLineSayingSo()
    {
        await using var app = await Installation.StartAsync();
        Assert.True(app.Sim.SuspendInstallation(InstallationId));

        var error = await Assert.ThrowsAsync<GitHubAuthException>(async () => await app.Source.GetAsync(Ct));

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
