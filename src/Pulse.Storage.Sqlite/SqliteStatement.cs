using Microsoft.Data.Sqlite;
using Pulse.Storage;
using SQLitePCL;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// One SQL statement prepared once and run many times in the caller's transaction, its
/// parameters set by name. Preparing an upsert costs more than running it, so loops over rows
/// reuse one of these. It talks to SQLite's own statement (SQLitePCL) rather than a
/// <see cref="SqliteCommand"/>: a command re-binds every parameter by name on each run (a linear
/// name search per parameter) and builds a data reader per row, which was most of a sync's
/// managed SQLite time (issue #7). Values bind at once and stay bound across runs, as parameters did.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    /// <param name="transaction">The transaction the statement runs in: SQLite runs it on the connection's open transaction.</param>
    public SqliteStatement(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameterNames)
        : this(connection, sql, parameterNames)
    {
        if (transaction.Connection != connection) throw new ArgumentException("The transaction belongs to another connection.", nameof(transaction));
    }

    /// <summary>A statement that outlives one transaction: it runs in whichever transaction is open on the connection when run.</summary>
    public SqliteStatement(SqliteConnection connection, string sql, string[] parameterNames)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        foreach (var name in parameterNames)
        {
            var index = raw.sqlite3_bind_parameter_index(_statement, "@" + name);
            if (index == 0) throw new ArgumentException($"The statement has no parameter @{name}.", nameof(parameterNames));
            _indexes[name] = index;
        }
    }

    public SqliteStatement Set(string name, long value) => Bound(raw.sqlite3_bind_int64(_statement, _indexes[name], value));

    public SqliteStatement Set(string name, long? value) => value is { } v ? Set(name, v) : Null(name);

    /// <summary>Booleans are 0/1, as everywhere else in this store.</summary>
    public SqliteStatement Set(string name, bool value) => Set(name, value ? 1L : 0L);

    /// <summary>Text binds as UTF-16; SQLite stores it in the file's UTF-8, the same bytes a command would store.</summary>
    public SqliteStatement Set(string name, string? value) =>
        value is null ? Null(name) : Bound(raw.sqlite3_bind_text16(_statement, _indexes[name], value.AsSpan()));

    /// <summary>Dates are UTC ISO-8601 text, as everywhere else in this store.</summary>
    public SqliteStatement Set(string name, DateTimeOffset? value) => Set(name, value is { } v ? DbValues.Iso(v) : null);

    public SqliteStatement Set(string name, byte[]? value) => value is null ? Null(name) : Bound(raw.sqlite3_bind_blob(_statement, _indexes[name], value));

    /// <summary>Any value a row of <see cref="SqlBatch"/> holds, bound as its type binds.</summary>
    public SqliteStatement SetValue(string name, object? value) => value switch
    {
        null => Null(name),
        long l => Set(name, l),
        int i => Set(name, (long)i),
        bool b => Set(name, b),
        string s => Set(name, s),
        DateTimeOffset d => Set(name, d),
        byte[] bytes => Set(name, bytes),
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be bound to @{name}.", nameof(value)),
    };

    /// <summary>Runs the statement to its end; the number of rows it changed.</summary>
    public Task<int> ExecuteAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Run(out _);
        return Task.FromResult(raw.sqlite3_changes(_db));
    }

    /// <summary>The first column of the first row as an integer, or null when there is none (or it is NULL).</summary>
    public Task<long?> ScalarAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Run(out var first);
        return Task.FromResult(first);
    }

    public void Dispose() => _statement.Dispose();

    private void Run(out long? first)
    {
        first = null;
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW && raw.sqlite3_column_type(_statement, 0) == raw.SQLITE_INTEGER) first = raw.sqlite3_column_int64(_statement, 0);
            // RETURNING rows are produced by the first step; stepping on to the end lets the statement finish cleanly.
            while (rc == raw.SQLITE_ROW) rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE) Check(rc);
        }
        finally
        {
            // A statement left mid-run would keep the transaction from committing.
            raw.sqlite3_reset(_statement);
        }
    }

    private SqliteStatement Null(string name) => Bound(raw.sqlite3_bind_null(_statement, _indexes[name]));

    private SqliteStatement Bound(int rc)
    {
        Check(rc);
        return this;
    }

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);
}
