using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Pulse.Storage;
using SQLitePCL;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// The embedded default: one SQLite file in WAL mode. SQLite has one writer at a time, so this
/// process queues its write transactions itself instead of letting them spin on SQLITE_BUSY.
/// </summary>
public sealed class SqliteDatabase : RelationalDatabase
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly ConditionalWeakTable<sqlite3, object> _configured = [];

    /// <summary>
    /// The one connection write transactions run on (guarded by <see cref="_writer"/>). SQLite drops a connection's page
    /// cache whenever another connection has written since its last transaction, so writes spread over pooled
    /// connections re-read their pages every time; one writer keeps its cache warm (issue #7).
    /// </summary>
    private SqliteConnection? _writerConnection;

    /// <summary>
    /// The writer connection's prepared statements by key, kept across transactions: a 30-column upsert costs more to
    /// prepare than to run, and preparing it per transaction was ~2,000 prepares per sync (issue #7). They live and die
    /// with <see cref="_writerConnection"/>.
    /// </summary>
    private readonly Dictionary<string, SqliteStatement> _writerStatements = new(StringComparer.Ordinal);

    static SqliteDatabase()
    {
        SqliteProcessSettings.Apply();
        DbValues.Register(typeof(SqliteParameter), DbValues.Iso);
    }

    public SqliteDatabase(string path, TimeProvider? time = null) : base(time ?? TimeProvider.System)
    {
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 60,
            Pooling = true,
        }.ToString();
        Dialect = new SqliteDialect(this);
        _checkpointer = new SqliteCheckpointer(this);
    }

    private readonly SqliteCheckpointer _checkpointer;

    internal SqliteCheckpointer Checkpointer => _checkpointer;

    public override SqlDialect Dialect { get; }

    public string Path { get; }
    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        // synchronous is per connection (only journal_mode is stored in the file), so every connection sets it.
        // WAL + NORMAL: a commit is in the WAL before COMMIT returns, so it survives a killed process (SIGKILL);
        // only an OS crash or power loss can lose the last commits, never corrupt the file. FULL would fsync every commit.
        // The pool keeps the physical connection (and its settings) between opens: set them once per physical connection.
        var handle = connection.Handle!;
        if (!_configured.TryGetValue(handle, out _))
        {
            await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 60000; PRAGMA synchronous = NORMAL;");
            _configured.AddOrUpdate(handle, handle);
        }
        return connection;
    }

    private static readonly IReadOnlyList<Migrations.Migration> Known = Migrations.Of(typeof(SqliteDatabase).Assembly, "Pulse.Sqlite.Migrations.");

    public override IReadOnlyList<Migrations.Migration> KnownMigrations => Known;

    public override string Label => $"'{Path}'";

    /// <summary>Each migration in its own BEGIN IMMEDIATE transaction: two processes opening a new file at once apply it once.</summary>
    public override async Task MigrateAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        await Migrations.ApplyAsync(connection, KnownMigrations, "TEXT", Now, Label, ct);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE), committed if it returns.</summary>
    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        var committed = false;
        try
        {
            var connection = _writerConnection ??= await OpenWriterAsync(ct);
            try
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                var result = await work(connection, tx);
                await IndexQueuedDocumentsAsync(connection, ct);
                await tx.CommitAsync(ct);
                committed = true;
                return result;
            }
            catch
            {
                // The transaction rolled back; a fresh connection for the next one, in case this one is what broke.
                _writerConnection = null;
                DisposeWriterStatements();
                await connection.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _writer.Release();
            if (committed) _checkpointer.Committed();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the writer's connection between two write transactions.</summary>
    internal async Task BetweenWritesAsync(Action<SqliteConnection> work)
    {
        await _writer.WaitAsync();
        try
        {
            work(_writerConnection ??= await OpenWriterAsync(CancellationToken.None));
        }
        finally
        {
            _writer.Release();
        }
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await work(connection);
    }

    /// <summary>A deferred BEGIN: a read transaction of the WAL, beside the writer, where BEGIN IMMEDIATE would queue behind it.</summary>
    public override async Task<T> ReadInTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = connection.BeginTransaction(deferred: true);
        var result = await work(connection, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// The prepared statement for <paramref name="key"/> on the writer connection, prepared on first use and reused by
    /// every later write transaction. Only for work running inside <see cref="WriteAsync{T}"/> on <paramref name="connection"/>.
    /// </summary>
    internal SqliteStatement WriterStatement(DbConnection connection, string key, string sql, string[] parameterNames)
    {
        if (!ReferenceEquals(connection, _writerConnection)) throw new InvalidOperationException("Only the writer connection keeps statements.");
        if (_writerStatements.TryGetValue(key, out var statement)) return statement;
        statement = new SqliteStatement(_writerConnection, sql, parameterNames);
        return _writerStatements[key] = statement;
    }

    /// <summary>
    /// Brings the keyword index (FTS5) in step with the documents this transaction changed, in two statements: FTS5 then
    /// writes one segment per transaction instead of one per document (migration 013_keyword_queue says why).
    /// </summary>
    private async Task IndexQueuedDocumentsAsync(DbConnection connection, CancellationToken ct)
    {
        if (await WriterStatement(connection, "fts.queued", "SELECT EXISTS (SELECT 1 FROM search_fts_queue)", []).ScalarAsync(ct) != 1) return;
        // A delete must name the text the index holds for the document, or FTS5's index goes wrong.
        await WriterStatement(connection, "fts.unindex", """
            INSERT INTO search_fts (search_fts, rowid, text) SELECT 'delete', doc_id, indexed_text FROM search_fts_queue WHERE indexed_text IS NOT NULL
            """, []).ExecuteAsync(ct);
        await WriterStatement(connection, "fts.index", """
            INSERT INTO search_fts (rowid, text)
            SELECT d.id, d.text FROM search_fts_queue q JOIN search_documents d ON d.id = q.doc_id WHERE q.gone = 0 ORDER BY q.doc_id
            """, []).ExecuteAsync(ct);
        await WriterStatement(connection, "fts.dequeue", "DELETE FROM search_fts_queue", []).ExecuteAsync(ct);
    }


    private void DisposeWriterStatements()
    {
        foreach (var statement in _writerStatements.Values) statement.Dispose();
        _writerStatements.Clear();
    }

    /// <summary>
    /// The writer's connection, with a cache of 16 MB instead of SQLite's 2 MB: upserts land all over the row and
    /// node-id indexes, and a cache that holds them reads far fewer pages back from the file. Its automatic checkpoint is
    /// only the backstop of <see cref="SqliteCheckpointer"/>, at 256 MB of WAL instead of 4 MB.
    /// </summary>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 65536;");
        return connection;
    }
}
