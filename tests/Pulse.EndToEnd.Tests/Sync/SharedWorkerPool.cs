using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    private readonly IAsyncDisposable? _database;
    private IHost? _workers;

    private SharedWorkerPool(PulseStorage storage, IWorkQueue queue, Func<string, IRateLimitBudget>? budgets, ExtractOptions extraction, IAsyncDisposable? database)
    {
        (_storage, _queue, _budgets, _extraction, _database) = (storage, queue, budgets, extraction, database);
        Circulation = new CirculationCountingQueue(queue);
    }

    /// <summary>Every message of the pool's runs goes through it (so a sync's watchdog reads progress from the database, on either backend).</summary>
    public CirculationCountingQueue Circulation { get; }

    /// <summary>Starts the pool's workers; with <paramref name="workerKey"/> they hold another secret key than the syncs (a misconfigured deployment).</summary>
    public static async Task<SharedWorkerPool> StartAsync(SyncHarness harness, PipelineOptions workers, ExtractOptions extraction, CancellationToken ct,
        ISecretProtector? workerKey = null)
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
        pool._workers = pool.Build(o =>
        {
            o.ExtractWorkers = workers.ExtractWorkers;
            o.TransformWorkers = workers.TransformWorkers;
            o.EmbedWorkers = workers.EmbedWorkers;
        }, "pool", workerKey);
        await pool._workers.StartAsync(ct);
        return pool;
    }

    /// <summary>A host over the pool's database and queue, composed as the CLI's are.</summary>
    private IHost Build(Action<PipelineOptions> configure, string name, ISecretProtector? key = null) => TestPipeline.Build(_storage, Circulation, key ?? _secrets, o =>
    {
        o.Extract = _extraction;
        configure(o);
    }, m => TestContext.Current.TestOutputHelper?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {name}: {m}"), s =>
    {
        s.AddSingleton(_http).AddSingleton(Budget);
        if (_budgets is not null) s.AddSingleton(new SharedRateLimitBudgets(_budgets));
    });

    /// <summary>Launches a tenant's run into the pool and waits until it ends; this sync runs no workers of its own.</summary>
    public Task<SyncResult> SyncAsync(GitHubSimulatorServer sim, string tenant, string token, IReadOnlyList<string> repositories, CancellationToken ct)
    {
        // The watchdog queues open work again only when the database shows no progress for this long.
        var host = Build(o =>
        {
            o.Stages = new HashSet<Stage>();
            o.ExtractWorkers = 1;
            o.WatchInterval = TimeSpan.FromMilliseconds(200);
            o.QuietTimeout = TimeSpan.FromSeconds(10);
        }, tenant);
        var options = new SyncOptions
        {
            GraphQLUrl = sim.GraphQLUrl, Owner = Pulse.GitHubSimulator.Synthetic.SyntheticDataset.OrganizationLogin, Token = token, TenantName = tenant,
            Repositories = repositories, Embeddings = false,
        };
        return TestPipeline.RunAsync(host, sp => sp.GetRequiredService<SyncRunner>().RunAsync(options, null, ct), ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_workers is not null)
        {
            await _workers.StopAsync(CancellationToken.None);
            _workers.Dispose();
        }
        if (_queue is IAsyncDisposable queue) await queue.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        _http.Dispose();
    }
}
