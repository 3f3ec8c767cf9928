using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// The embedded default: one SQLite file in WAL mode. SQLite has one writer at a time, so this
/// process queues its write transactions itself instead of letting them spin on SQLITE_BUSY.
/// </summary>
public sealed class SqliteDatabase
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
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new BoolHandler());
    }

    public SqliteDatabase(string path)
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
    }

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

    public async Task MigrateAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        await SqliteMigrations.ApplyAsync(connection, ct);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE), committed if it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var connection = _writerConnection ??= await OpenWriterAsync(ct);
            try
            {
                await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                var result = await work(connection, tx);
                await tx.CommitAsync(ct);
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
        }
    }

    /// <summary>
    /// The prepared statement for <paramref name="key"/> on the writer connection, prepared on first use and reused by
    /// every later write transaction. Only for work running inside <see cref="WriteAsync{T}"/> on <paramref name="connection"/>.
    /// </summary>
    internal SqliteStatement WriterStatement(SqliteConnection connection, string key, string sql, string[] parameterNames)
    {
        if (!ReferenceEquals(connection, _writerConnection)) throw new InvalidOperationException("Only the writer connection keeps statements.");
        if (_writerStatements.TryGetValue(key, out var statement)) return statement;
        statement = new SqliteStatement(connection, sql, parameterNames);
        return _writerStatements[key] = statement;
    }

    private void DisposeWriterStatements()
    {
        foreach (var statement in _writerStatements.Values) statement.Dispose();
        _writerStatements.Clear();
    }

    /// <summary>
    /// The writer's connection, with a cache of 16 MB instead of SQLite's 2 MB: upserts land all over the row and
    /// node-id indexes, and a cache that holds them reads far fewer pages back from the file.
    /// </summary>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA cache_size = -16384;");
        return connection;
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await work(connection);
    }

    /// <summary>Timestamps are stored as UTC ISO-8601 text, so text order is time order.</summary>
    public static string? Iso(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        // Dapper's handlers are process-wide and PostgreSQL may share the process: only SQLite parameters become text.
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) =>
            parameter.Value = parameter is SqliteParameter ? Iso(value) : value.ToUniversalTime();

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d,
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        };
    }

    private sealed class BoolHandler : SqlMapper.TypeHandler<bool>
    {
        public override void SetValue(IDbDataParameter parameter, bool value) => parameter.Value = parameter is SqliteParameter ? (value ? 1 : 0) : value;

        public override bool Parse(object value) => value is bool b ? b : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
    }
}
