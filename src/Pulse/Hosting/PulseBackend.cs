using Pulse.Cli;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;
using Pulse.Queue.RabbitMq;
using Pulse.Storage;
using Pulse.Storage.Postgres;

namespace Pulse.Hosting;

/// <summary>What <c>sync</c>, <c>serve</c> or <c>worker</c> asks of its backend: the --database and --queue values and the stages it runs here.</summary>
public sealed record BackendOptions(string Database, string Queue, IReadOnlySet<Stage>? Stages = null);

/// <summary>
/// What one process runs on. Embedded: SQLite, the in-process queue, every stage here. Distributed: PostgreSQL (status events
/// over LISTEN/NOTIFY, a registry of workers) and RabbitMQ, stages in <c>pulse worker</c> processes. Opening it checks the
/// options together and the secret key against the database, so misconfiguration fails at start in one line.
/// </summary>
public sealed class PulseBackend : IAsyncDisposable
{
    private PulseBackend(OpenedDatabase database, AesGcmSecretProtector secrets, RabbitMqQueue? broker, IReadOnlySet<Stage> stages, IWorkerRegistry? workers)
    {
        Database = database;
        Secrets = secrets;
        Broker = broker;
        LocalQueue = broker is null ? new InProcessQueue() : null;
        Stages = stages;
        Workers = workers;
    }

    public OpenedDatabase Database { get; }
    public ISecretProtector Secrets { get; }

    /// <summary>The shared broker; null when the queue is in-process.</summary>
    public RabbitMqQueue? Broker { get; }

    /// <summary>The in-process queue; null when a broker is shared.</summary>
    public InProcessQueue? LocalQueue { get; }

    /// <summary>The stages this process consumes.</summary>
    public IReadOnlySet<Stage> Stages { get; }

    /// <summary>The registry of a shared queue's workers; null on the embedded default.</summary>
    public IWorkerRegistry? Workers { get; }

    public IWorkQueue Queue => (IWorkQueue?)Broker ?? LocalQueue!;
    public PulseStorage Storage => Database.Storage;

    /// <summary>Checks the options together, then the key, then opens the database and the queue. Throws <see cref="ArgumentException"/> on bad input.</summary>
    public static async Task<PulseBackend> OpenAsync(BackendOptions options, CancellationToken ct)
    {
        var shared = QueueOption.IsShared(options.Queue);
        var postgres = DatabaseOption.IsPostgres(options.Database);
        if (shared && !postgres)
            throw new ArgumentException($"--queue {Redacted(options.Queue)} needs a database every worker shares: --database postgres://..., not '{options.Database}'.");
        var stages = options.Stages ?? (shared ? new HashSet<Stage>() : PipelineOptions.AllStages);
        if (!shared && !PipelineOptions.AllStages.All(stages.Contains))
            throw new ArgumentException("--stages needs --queue amqp://...: with the in-process queue no other process can run the stages left out.");
        if (shared) RabbitMqOptions.Parse(options.Queue);   // a malformed URL fails before the database is touched
        var key = SecretKeys.FromEnvironment();
        if (postgres && key is null) throw new ArgumentException(SecretKeys.Required);

        var database = await DatabaseOption.OpenWithBudgetsAsync(options.Database, new RateLimitBudgetOptions(), TimeProvider.System, ct);
        RabbitMqQueue? broker = null;
        try
        {
            var secrets = key ?? new AesGcmSecretProtector(KeyFile.ReadOrCreate(database.KeyFile!));
            var workers = shared && database.Postgres is { } pg ? new RelationalWorkerRegistry(pg) : null;
            if (await SecretKeys.MismatchAsync(database.Fingerprints, secrets, key is null ? database.KeyFile : null, ct) is { } mismatch)
            {
                // A worker that will not start says so in the database: a sync waiting for workers fails naming this, at once.
                if (workers is not null && stages.Count > 0)
                    await workers.RefuseAsync(PipelineService.Presence(stages, DateTimeOffset.UtcNow, mismatch), ct);
                throw new ArgumentException(mismatch);
            }
            broker = await QueueOption.OpenAsync(options.Queue, ct);
            return new PulseBackend(database, secrets, broker, stages, workers);
        }
        catch
        {
            if (broker is not null) await broker.DisposeAsync();
            if (database.Postgres is not null) await database.Postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>A URL without its password, for messages.</summary>
    private static string Redacted(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')
        ? url.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':')] + ":***", StringComparison.Ordinal) : url;

    public async ValueTask DisposeAsync()
    {
        if (Broker is not null) await Broker.DisposeAsync();
        if (Database.Postgres is not null) await Database.Postgres.DisposeAsync();
    }
}
