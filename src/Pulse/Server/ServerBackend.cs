using Pulse.Cli;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Queue.RabbitMq;
using Pulse.Storage.Postgres;

namespace Pulse.Server;

/// <summary>
/// What one serve process runs on. Embedded: SQLite, the in-process queue, every stage here.
/// Distributed: PostgreSQL (status events over LISTEN/NOTIFY) and RabbitMQ, stages in <c>pulse worker</c> processes.
/// </summary>
public sealed class ServerBackend : IAsyncDisposable
{
    private ServerBackend(OpenedDatabase database, ISecretProtector secrets, RabbitMqQueue? broker, IReadOnlySet<Stage> stages)
    {
        Database = database;
        Secrets = secrets;
        Broker = broker;
        LocalQueue = broker is null ? new InProcessQueue() : null;
        Stages = stages;
    }

    public OpenedDatabase Database { get; }
    public ISecretProtector Secrets { get; }

    /// <summary>The shared broker; null when the queue is in-process.</summary>
    public RabbitMqQueue? Broker { get; }

    /// <summary>The in-process queue; null when a broker is shared.</summary>
    public InProcessQueue? LocalQueue { get; }

    public IReadOnlySet<Stage> Stages { get; }

    public IWorkQueue Queue => (IWorkQueue?)Broker ?? LocalQueue!;
    public PulseStorage Storage => Database.Storage;
    public Func<string, IRateLimitBudget>? Budgets => Database.Budgets;

    /// <summary>Checks the options together, then opens the database and the queue. Throws <see cref="ArgumentException"/> on bad input.</summary>
    public static async Task<ServerBackend> OpenAsync(ServerOptions options, CancellationToken ct)
    {
        var shared = QueueOption.IsShared(options.Queue);
        if (shared && !DatabaseOption.IsPostgres(options.Database))
            throw new ArgumentException($"--queue {Redacted(options.Queue)} needs a database every worker shares: --database postgres://..., not '{options.Database}'.");
        var stages = options.Stages ?? (shared ? new HashSet<Stage>() : StageOption.All);
        if (!shared && !StageOption.All.All(stages.Contains))
            throw new ArgumentException("--stages needs --queue amqp://...: with the in-process queue no other process can run the stages left out.");
        if (shared) RabbitMqOptions.Parse(options.Queue);   // a malformed URL fails before the database is touched
        var database = await DatabaseOption.OpenWithBudgetsAsync(options.Database, new RateLimitBudgetOptions(), TimeProvider.System, ct);
        var broker = await QueueOption.OpenAsync(options.Queue, ct);
        return new ServerBackend(database, AesGcmSecretProtector.FromEnvironmentOrFile(database.KeyFile), broker, stages);
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
