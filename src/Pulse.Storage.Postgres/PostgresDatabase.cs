using System.Data;
using Dapper;
using Npgsql;
using Pgvector.Npgsql;

namespace Pulse.Storage.Postgres;

/// <summary>
/// A shared PostgreSQL server: many workers in many processes write at once, so every
/// check-and-flip of a run first locks the run's row (<see cref="LockRunAsync"/>), and a
/// transaction that loses a race, or the server's restart, is run again from the start.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly PostgresRetry _retry;
    private NpgsqlDataSource _source;

    static PostgresDatabase() => PgTypeHandlers.Register();

    public PostgresDatabase(string connectionString, PostgresRetryOptions? retry = null, TimeProvider? time = null)
    {
        ConnectionString = connectionString;
        _source = Build(connectionString);
        _retry = new PostgresRetry(retry ?? new PostgresRetryOptions(), time ?? TimeProvider.System, () => _source.Clear());
    }

    public string ConnectionString { get; }

    /// <summary>The database name, for the key file beside nothing: PostgreSQL keeps no local file.</summary>
    public string DatabaseName => new NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "postgres";

    private static NpgsqlDataSource Build(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        return builder.Build();
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    public async Task MigrateAsync(CancellationToken ct)
    {
        await PostgresMigrations.ApplyAsync(this, ct);
        // The vector type may have just been created: a fresh data source learns its OID.
        var old = _source;
        _source = Build(ConnectionString);
        await old.DisposeAsync();
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction, run again whole on a lost
    /// deadlock or serialization race, and while the server is away (see <see cref="PostgresRetry"/>).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct) => _retry.RunAsync(async token =>
    {
        await using var connection = await OpenAsync(token);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
        var result = await work(connection, tx);
        try
        {
            await tx.CommitAsync(token);
        }
        catch (Exception e) when (PostgresRetry.IsOutage(e))
        {
            throw new CommitInDoubtException(e);
        }
        return result;
    }, ct);

    public Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct) => _retry.RunAsync(async token =>
    {
        await using var connection = await OpenAsync(token);
        return await work(connection);
    }, ct);

    /// <summary>Serialises the run's check-and-flips (ledger, gates, run end) across every worker of every process.</summary>
    public static Task<(string Status, bool EmbeddingsEnabled)> LockRunAsync(IDbConnection c, IDbTransaction tx, long runId) =>
        c.QuerySingleAsync<(string, bool)>("SELECT status, embeddings_enabled FROM etl_job_runs WHERE id = @runId FOR UPDATE", new { runId }, tx);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
