using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Pulse.Core.GitHub;
using Pulse.Core.GitHub.Auth;
using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.Storage;
using Pulse.Storage.Postgres;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// A distributed App sync: a sync and two worker pipelines, each composed as its own process (its own database connection,
/// broker connection and GitHub connections) over one PostgreSQL database and one broker, against the simulator's App endpoints.
/// </summary>
public sealed class InstallationTokenSharingTests
{
    private const long AppId = 11;
    private const long InstallationId = 22;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DistributedSync_TokenExpiresTwice_GitHubIssuesOneTokenPerExpiryNotOnePerProcess()
    {
        using var rsa = RSA.Create(2048);
        // GitHub's clock, shared by the simulator and every process's GitHub connections, moved past the token's hour twice.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await InstallationExpiry.StartSimulatorAsync(rsa, clock, AppId, InstallationId, Ct);
        await using var harness = new SyncHarness(Backend.Postgres);
        var database = await harness.PostgresAsync(Ct);
        var key = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));

        await using var first = await Process.StartAsync(database, harness.QueuePrefix, key, clock, workers: true, Ct);
        await using var second = await Process.StartAsync(database, harness.QueuePrefix, key, clock, workers: true, Ct);
        await using var sync = await Process.StartAsync(database, harness.QueuePrefix, key, clock, workers: false, Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var expiries = InstallationExpiry.AfterRequestsAsync(sim, clock, [4, 12], stop.Token);

        var result = await sync.Host.Services.GetRequiredService<SyncRunner>().RunAsync(new SyncOptions
        {
            GraphQLUrl = sim.GraphQLUrl, Owner = SyntheticDataset.OrganizationLogin, Embeddings = false,
            Credentials = GitHubCredentials.FromApp(AppId, rsa.ExportRSAPrivateKeyPem(), InstallationId),
        }, null, Ct);
        await stop.CancelAsync();

        Assert.True(result.Succeeded, result.Error);
        Assert.True(await expiries == 2, "the run ended before the second expiry");
        // Three tokens in all, counted by GitHub: the first and one per expiry. Each process minting its own would be 3 at the start alone.
        Assert.Equal(3, sim.InstallationTokensIssued(InstallationId));
        Assert.True(sync.Exchanges + first.Exchanges + second.Exchanges == 3,
            $"minted by the sync {sync.Exchanges}, worker 1 {first.Exchanges}, worker 2 {second.Exchanges}");
        // Shared, not merely unused: the sync (listing repositories) and both workers (extracting) each needed the token.
        Assert.All(new[] { sync, first, second }, p => Assert.True(p.TokenLookups > 0, "a process never asked for the installation's token"));
    }

    /// <summary>One process of the deployment: its database and broker connections, the shared key, its own GitHub connections.</summary>
    private sealed class Process : IAsyncDisposable
    {
        private readonly PostgresDatabase _db;
        private readonly IAsyncDisposable _queue;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
        private CountingTokenStore? _store;

        private Process(PostgresDatabase db, IAsyncDisposable queue) => (_db, _queue) = (db, queue);

        public IHost Host { get; private set; } = null!;

        /// <summary>How many times this process looked for the installation's token in the database.</summary>
        public int TokenLookups => _store?.Lookups ?? 0;

        /// <summary>How many installation tokens this process obtained from GitHub itself.</summary>
        public int Exchanges => Host.Services.GetRequiredService<GitHubConnections>().InstallationExchanges;

        public static async Task<Process> StartAsync(string database, string queuePrefix, ISecretProtector key, TimeProvider githubClock, bool workers,
            CancellationToken ct)
        {
            var (storage, db) = await PostgresStorage.OpenAsync(database, ct);
            var queue = await TestServers.ConnectRabbitMqAsync(queuePrefix, ct);
            var process = new Process(db, queue) { _store = new CountingTokenStore(new RelationalInstallationTokenStore(db, key)) };
            process.Host = TestPipeline.Build(storage, queue, key, o =>
            {
                if (!workers) o.Stages = new HashSet<Stage>();
                o.ExtractWorkers = 2;
                o.WatchInterval = TimeSpan.FromMilliseconds(200);
                o.QuietTimeout = TimeSpan.FromSeconds(10);
            }, m => TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {(workers ? "worker" : "sync")}: {m}"), s => s
                // The database's token store, as every CLI process composes it; GitHub's clock for the connections alone.
                .AddSingleton<IInstallationTokenStore>(process._store)
                .AddSingleton(sp => new GitHubConnections(sp.GetRequiredService<IIntegrationStore>(), key, process._http, githubClock,
                    new RateLimitBudgetOptions(), installationTokens: sp.GetRequiredService<IInstallationTokenStore>())));
            await process.Host.StartAsync(ct);
            return process;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync(CancellationToken.None);
            Host.Dispose();
            await _queue.DisposeAsync();
            await _db.DisposeAsync();
            _http.Dispose();
        }
    }

    /// <summary>The database's store, counting the lookups of the process it serves.</summary>
    private sealed class CountingTokenStore(IInstallationTokenStore inner) : IInstallationTokenStore
    {
        private int _lookups;

        public int Lookups => _lookups;

        public Task<InstallationToken?> GetAsync(string installationKey, CancellationToken ct)
        {
            Interlocked.Increment(ref _lookups);
            return inner.GetAsync(installationKey, ct);
        }

        public Task<InstallationToken> GetOrMintAsync(string installationKey, DateTimeOffset validPast, string? rejected,
            Func<CancellationToken, Task<InstallationToken>> mint, CancellationToken ct)
        {
            Interlocked.Increment(ref _lookups);
            return inner.GetOrMintAsync(installationKey, validPast, rejected, mint, ct);
        }
    }
}
