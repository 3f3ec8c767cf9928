using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pulse.Core.Embed;
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
/// Runs the pipeline (no embeddings unless a model is given) against a simulator over real HTTP, on either backend:
/// SQLite + in-process queue, or PostgreSQL + RabbitMQ with this process's workers consuming from the broker.
/// </summary>
public sealed partial class SyncHarness(Backend backend = Backend.Sqlite) : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pulse-e2e-").FullName;
    private readonly string _name = $"pulse_e2e_{Guid.NewGuid():N}";
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private string? _postgres;

    public Backend Backend => backend;
    public string DatabasePath => Path.Combine(_directory, "pulse.db");
    public string QueuePrefix => _name + ".";
    public List<JobStatusChanged> Events { get; } = [];

    /// <summary>The database's connection string (PostgreSQL), created on first use.</summary>
    public async Task<string> PostgresAsync(CancellationToken ct = default) => _postgres ??= await TestServers.CreateDatabaseAsync(_name, ct);

    /// <summary>The --database argument that names this harness's database.</summary>
    public async Task<string> DatabaseArgumentAsync() => backend == Backend.Sqlite ? $"sqlite:{DatabasePath}" : await PostgresAsync();

    public async Task<SyncResult> SyncAsync(GitHubSimulatorServer sim, string owner, string token = "sim-token", ExtractOptions? extraction = null,
        RateLimitBudgetOptions? budget = null, DateTimeOffset? since = null, CancellationToken ct = default, Action<string>? log = null,
        EmbeddingModel? embedding = null, Pulse.Core.GitHub.Auth.GitHubCredentials? credentials = null, Uri? githubUrl = null,
        Action<JobStatus, GitHubConnection?>? progress = null, TimeProvider? githubClock = null)
    {
        var events = new InProcessJobEventBus();
        using var arrived = new SemaphoreSlim(0);
        using var subscription = events.Subscribe(e =>
        {
            lock (Events) Events.Add(e);
            arrived.Release();
            return Task.CompletedTask;
        });
        extraction ??= new ExtractOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(2) };
        var options = new SyncOptions
        {
            GraphQLUrl = githubUrl ?? sim.GraphQLUrl, Owner = owner, Credentials = credentials ?? Pulse.Core.GitHub.Auth.GitHubCredentials.FromTokens([token]),
            Embeddings = embedding is not null, Since = since,
        };
        void Configure(PipelineOptions o)
        {
            o.Extract = extraction;
            o.WatchInterval = TimeSpan.FromMilliseconds(100);
            o.QuietTimeout = TimeSpan.FromSeconds(3);
        }
        if (backend == Backend.Sqlite)
        {
            var (storage, _) = await SqliteStorage.OpenAsync(DatabasePath, ct);
            var host = TestPipeline.Build(storage, new InProcessQueue(), new AesGcmSecretProtector(Key), Configure, log, s =>
            {
                s.AddSingleton<IJobEventBus>(events).AddSingleton(budget ?? new RateLimitBudgetOptions());
                if (embedding is not null) s.AddSingleton(embedding);
                // GitHub's clock (the simulator's), for the connections alone: installation tokens and budgets are timed on it.
                if (githubClock is not null)
                    s.AddSingleton(sp => new GitHubConnections(sp.GetRequiredService<IIntegrationStore>(), sp.GetRequiredService<ISecretProtector>(), new HttpClient(),
                        githubClock, sp.GetRequiredService<RateLimitBudgetOptions>()));
            });
            return await TestPipeline.RunAsync(host, sp => EndedAsync(sp, sp.GetRequiredService<SyncRunner>().RunAsync(options, progress, ct), arrived, ct), ct);
        }

        var (pg, db) = await PostgresStorage.OpenAsync(await PostgresAsync(ct), ct);
        await using (db)
        {
            await using var queue = await TestServers.ConnectRabbitMqAsync(QueuePrefix, ct);
            var shared = budget ?? new RateLimitBudgetOptions();
            var host = TestPipeline.Build(pg, queue, new AesGcmSecretProtector(Key), Configure, log, s =>
            {
                s.AddSingleton<IJobEventBus>(events).AddSingleton(shared)
                    .AddSingleton(new SharedRateLimitBudgets(key => new PostgresRateLimitBudget(db, key, TimeProvider.System, shared)));
                if (embedding is not null) s.AddSingleton(embedding);
            });
            return await TestPipeline.RunAsync(host, sp => EndedAsync(sp, sp.GetRequiredService<SyncRunner>().RunAsync(options, progress, ct), arrived, ct), ct);
        }
    }

    /// <summary>
    /// The sync's result once its run's ending status event has arrived. The run's end is committed before that event is
    /// published, and the sync returns when it reads the end: waiting here, with the pipeline still running, keeps a stopping
    /// host from cancelling the publish, so a test reads every event of the run.
    /// </summary>
    private async Task<SyncResult> EndedAsync(IServiceProvider services, Task<SyncResult> sync, SemaphoreSlim arrived, CancellationToken ct)
    {
        var result = await sync;
        // A sync that stopped before its run ended (no run, or GitHub refused the connection) has no ending to wait for.
        if (await services.GetRequiredService<IRunStore>().GetRunAsync(result.RunId, ct) is not { Status: not RunStatus.Running }) return result;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        bool Ended()
        {
            lock (Events) return Events.Any(e => e.Status.RunId == result.RunId && e.Status.Overall is OverallStatus.Finished or OverallStatus.Failed);
        }
        try
        {
            while (!Ended()) await arrived.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Run {result.RunId} ended, but no status event showing its end arrived within a minute.");
        }
        return result;
    }

    /// <summary>The stores over this harness's database, for a test that drives a stage by hand; dispose to close.</summary>
    public async Task<(PulseStorage Storage, IAsyncDisposable Database)> OpenStorageAsync(CancellationToken ct)
    {
        if (backend == Backend.Sqlite) return ((await SqliteStorage.OpenAsync(DatabasePath, ct)).Storage, new NothingToClose());
        var (pg, db) = await PostgresStorage.OpenAsync(await PostgresAsync(ct), ct);
        return (pg, db);
    }

    private sealed class NothingToClose : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection c = backend == Backend.Sqlite ? new SqliteConnection($"Data Source={DatabasePath}") : new NpgsqlConnection(await PostgresAsync());
        await c.OpenAsync();
        return c;
    }

    /// <summary>Whether the database exists yet (a run may not have created it).</summary>
    public bool Exists => backend == Backend.Sqlite ? File.Exists(DatabasePath) : _postgres is not null;

    /// <summary>The answer pages stored so far, read while a sync in another task or process works on the database: 0 until it has created and migrated it.</summary>
    public async Task<long> CommittedPagesAsync()
    {
        if (!Exists) return 0;
        try
        {
            await using var c = await OpenAsync();
            return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_extraction_data");
        }
        catch (DbException)
        {
            return 0;   // the file or database is there, its schema not yet
        }
    }

    /// <summary>Every table's rows in a canonical order and form (no surrogate keys; one text form per value), to compare two databases of either backend.</summary>
    public async Task<string> CanonicalDumpAsync() => Dump(await CanonicalRowsAsync());

    /// <summary>The rows of <see cref="CanonicalDumpAsync"/>, one list per table (a row's text may span lines); the first field is the row's node id, or its PR's.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> CanonicalRowsAsync()
    {
        await using var c = await OpenAsync();
        return await CanonicalRowsAsync(c);
    }

    /// <summary>The canonical dump of any open Pulse database (e.g. one on a private server a test restarted).</summary>
    public static async Task<string> CanonicalDumpAsync(DbConnection c) => Dump(await CanonicalRowsAsync(c));

    private static async Task<IReadOnlyList<IReadOnlyList<string>>> CanonicalRowsAsync(DbConnection c)
    {
        var tables = new List<IReadOnlyList<string>>();
        foreach (var sql in CanonicalQueries)
            tables.Add((await c.QueryAsync(sql)).Select(r => string.Join("|", ((IDictionary<string, object?>)r).Values.Select(Canonical))).ToList());
        return tables;
    }

    /// <summary>The rows <paramref name="sql"/> selects, each a column → canonical text map (timestamps "…Z" with seven decimals, booleans 1/0, null "").</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> RowsAsync(string sql)
    {
        await using var c = await OpenAsync();
        return [.. (await c.QueryAsync(sql)).Select(r => (IReadOnlyDictionary<string, string>)((IDictionary<string, object?>)r).ToDictionary(x => x.Key, x => Canonical(x.Value)))];
    }

    /// <summary>A timestamp in the canonical form of <see cref="RowsAsync"/>; null as "".</summary>
    public static string CanonicalTime(DateTimeOffset? at) => Canonical(at);

    /// <summary>Tables of canonical rows as one text, rows sorted, tables in order.</summary>
    public static string Dump(IEnumerable<IEnumerable<string>> tables) =>
        string.Join("\n---\n", tables.Select(rows => string.Join("\n", rows.Order(StringComparer.Ordinal))));

    private static string Canonical(object? value) => value switch
    {
        null => "",
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        // SQLite keeps timestamps as text: the same instant in one form, whatever form it was written in.
        string t when LooksLikeTimestamp().IsMatch(t) => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex LooksLikeTimestamp();

    private static readonly string[] CanonicalQueries =
    [
        "SELECT node_id, full_name, default_branch FROM repositories",
        """
        SELECT p.node_id, r.full_name, p.number, p.title, p.body, p.state, p.is_draft, p.author_login, p.merged_by_login, p.additions, p.deletions,
          p.changed_files, p.created_at, p.updated_at, p.closed_at, p.merged_at, p.commits_total, p.reviews_total, p.comments_total,
          p.review_threads_total, p.commit_count, p.review_count, p.issue_comment_count, p.review_comment_count, p.first_review_at,
          p.review_cycles, p.rework_commit_count
        FROM prs p JOIN repositories r ON r.id = p.repository_id
        """,
        "SELECT p.node_id, c.oid, c.message, c.author_name, c.committed_date FROM prs_commits c JOIN prs p ON p.id = c.pr_id",
        "SELECT p.node_id, v.node_id, v.state, v.body, v.author_login, v.submitted_at FROM prs_reviews v JOIN prs p ON p.id = v.pr_id",
        "SELECT p.node_id, t.node_id, t.is_resolved, t.path, t.line FROM prs_review_threads t JOIN prs p ON p.id = t.pr_id",
        """
        SELECT p.node_id, m.node_id, m.comment_type, t.node_id, v.node_id, m.body, m.author_login, m.path, m.line, m.reply_to_node_id, m.updated_at
        FROM prs_comments m JOIN prs p ON p.id = m.pr_id LEFT JOIN prs_review_threads t ON t.id = m.thread_id LEFT JOIN prs_reviews v ON v.id = m.review_id
        """,
        """
        SELECT p.node_id, e.node_id, e.event_type, e.actor_login, e.actor_type, e.requested_reviewer, e.requested_reviewer_type, e.before_commit_oid,
          e.after_commit_oid, e.created_at
        FROM prs_timeline_events e JOIN prs p ON p.id = e.pr_id
        """,
        "SELECT p.node_id, l.node_id, l.name FROM prs_labels l JOIN prs p ON p.id = l.pr_id",
        """
        SELECT p.node_id, m.opened_as_draft, m.ready_at, m.draft_seconds, m.first_commit_at, m.first_review_at, m.coding_seconds, m.pickup_seconds,
          m.review_seconds, m.cycle_seconds, m.time_to_merge_seconds, m.review_requests, m.reviewers, m.approvals, m.changes_requested, m.rework_commits,
          m.force_pushes, m.size, m.changed_files, m.author_is_bot
        FROM pr_metrics m JOIN prs p ON p.id = m.pr_id
        """,
    ];

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_postgres is not null) await TestServers.DropDatabaseAsync(_name);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
