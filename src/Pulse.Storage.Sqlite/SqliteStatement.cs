using Microsoft.Data.Sqlite;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// One SQL statement prepared once and run many times in the caller's transaction, its
/// parameters set by name. Preparing an upsert costs more than running it, so loops
/// over rows reuse one of these instead of building a command (and a plan) per row.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly Dictionary<string, SqliteParameter> _parameters = new(StringComparer.Ordinal);

    public SqliteStatement(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        foreach (var name in parameterNames) _parameters[name] = _command.Parameters.Add(new SqliteParameter("@" + name, DBNull.Value));
        _command.Prepare();
    }

    /// <summary>Sets a parameter; dates become UTC ISO-8601 text and booleans 0/1, as everywhere else in this store.</summary>
    public SqliteStatement Set(string name, object? value)
    {
        _parameters[name].Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset d => SqliteDatabase.Iso(d),
            bool b => b ? 1 : 0,
            _ => value,
        };
        return this;
    }

    public Task<int> ExecuteAsync(CancellationToken ct) => _command.ExecuteNonQueryAsync(ct);

    /// <summary>The first column of the first row, or null when there is none.</summary>
    public async Task<long?> ScalarAsync(CancellationToken ct) => await _command.ExecuteScalarAsync(ct) is long value ? value : null;

    public void Dispose() => _command.Dispose();
}
