using System.Security.Cryptography;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.Storage.Postgres;
using Pulse.Storage.Sqlite;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// One pool of stage workers serving every tenant, as a <c>serve</c> or <c>worker</c> process does: syncs launch runs
/// into its database and queue (SQLite + in-process queue, or PostgreSQL + RabbitMQ) and only watch them.
/// </summary>
public sealed class SharedWorkerPool : IAsyncDisposable
{
    private static readonly RateLimitBudgetOptions Budget = new();
    private readonly PulseStorage _storage;
    private readonly IWorkQueue _queue;
    private readonly Func<string, IRateLimitBudget>? _budgets;
    private readonly ExtractOptions _extraction;
    private readonly AesGcmSecretProtector _secrets = new(RandomNumberGenerator.GetBytes(32));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly CancellationTokenSource _stop = new();
    private readonly IAsyncDisposable? _database;
    private IReadOnlyList<Task> _loops = [];

    private SharedWorkerPool(PulseStorage storage, IWorkQueue queue, Func<string, IRateLimitBudget>? budgets, ExtractOptions extraction, IAsyncDisposable? database)
    {
        (_storage, _queue, _budgets, _extraction, _database) = (storage, queue, budgets, extraction, database);
        Circulation = new CirculationCountingQueue(queue);
    }

    /// <summary>Every message of the pool's runs goes through it (so a sync's watchdog reads progress from the database, on either backend).</summary>
    public CirculationCountingQueue Circulation { get; }

    public static async Task<SharedWorkerPool> StartAsync(SyncHarness harness, PipelineHostOptions workers, ExtractOptions extraction, CancellationToken ct)
    {
        SharedWorkerPool pool;
        if (harness.Backend == Backend.Sqlite)
        {
            var (storage, _) = await SqliteStorage.OpenAsync(harness.DatabasePath, ct);
            pool = new SharedWorkerPool(storage, new InProcessQueue(), null, extraction, null);
        }
        else
        {
            var (storage, db) = await PostgresStorage.OpenAsync(await harness.PostgresAsync(ct), ct);
            var queue = await TestServers.ConnectRabbitMqAsync(harness.QueuePrefix, ct);
            pool = new SharedWorkerPool(storage, queue, key => new PostgresRateLimitBudget(db, key, TimeProvider.System, Budget), extraction, db);
        }
        var connections = new GitHubConnections(pool._storage.Integrations, pool._secrets, pool._http, TimeProvider.System, Budget, pool._budgets);
        var coordinator = new RunCoordinator(pool._storage.Runs, pool.Circulation, new InProcessJobEventBus(), TimeProvider.System);
        var host = new PipelineHost(pool._storage, pool.Circulation, connections, coordinator, null, "none", extraction, TimeProvider.System, workers, m => TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} pool: {m}"));
        pool._loops = host.Start(pool._stop.Token);
        return pool;
    }

    /// <summary>Launches a tenant's run into the pool and waits until it ends; this sync runs no workers of its own.</summary>
    public Task<SyncResult> SyncAsync(GitHubSimulatorServer sim, string tenant, string token, IReadOnlyList<string> repositories, CancellationToken ct)
    {
        var runner = new SyncRunner(_storage, _secrets, _http, TimeProvider.System, null, "none", _extraction, Budget, new InProcessJobEventBus(), m => TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {tenant}: {m}"),
            sharedQueue: Circulation, budgetFactory: _budgets, runWorkers: false);
        var options = new SyncOptions
        {
            GraphQLUrl = sim.GraphQLUrl, Owner = Pulse.GitHubSimulator.Synthetic.SyntheticDataset.OrganizationLogin, Token = token, TenantName = tenant,
            Repositories = repositories, Embeddings = false, ExtractWorkers = 1,
            // The watchdog queues open work again only when the database shows no progress for this long.
            ProgressInterval = TimeSpan.FromMilliseconds(200), QuietTimeout = TimeSpan.FromSeconds(10),
        };
        return runner.RunAsync(options, null, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        if (_queue is IAsyncDisposable queue) await queue.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        _http.Dispose();
        _stop.Dispose();
    }
}
