using System.Data;
using Dapper;
using Npgsql;
using Pgvector.Npgsql;

namespace Pulse.Storage.Postgres;

/// <summary>
/// A shared PostgreSQL server: many workers in many processes write at once, so every
/// check-and-flip of a run first locks the run's row (<see cref="LockRunAsync"/>), and a
/// transaction that loses a deadlock or serialization race is run again from the start.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private const int MaxTransactionAttempts = 8;
    private NpgsqlDataSource _source;

    static PostgresDatabase() => PgTypeHandlers.Register();

    public PostgresDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        _source = Build(connectionString);
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
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction, retried whole on deadlock or
    /// serialization failure, and on a lost connection (a server restart, a killed session) as long
    /// as the commit was not yet sent, so the outcome is never in doubt.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            try
            {
                await using var connection = await OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                var result = await work(connection, tx);
                committing = true;
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < MaxTransactionAttempts && !committing && IsRetryable(e) && !ct.IsCancellationRequested)
            {
                await BackOffAsync(e, attempt, ct);
            }
        }
    }

    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                return await work(connection);
            }
            catch (Exception e) when (attempt < MaxTransactionAttempts && IsRetryable(e) && !ct.IsCancellationRequested)
            {
                await BackOffAsync(e, attempt, ct);
            }
        }
    }

    private static bool IsRetryable(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException n => n.IsTransient,
        _ => false,
    };

    private async Task BackOffAsync(Exception e, int attempt, CancellationToken ct)
    {
        // Pooled connections of a restarted server are all dead: drop them rather than meet them one by one.
        if (e is not PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }) _source.Clear();
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * attempt * attempt) + Random.Shared.Next(50)), ct);
    }

    /// <summary>Serialises the run's check-and-flips (ledger, gates, run end) across every worker of every process.</summary>
    public static Task<(string Status, bool EmbeddingsEnabled)> LockRunAsync(IDbConnection c, IDbTransaction tx, long runId) =>
        c.QuerySingleAsync<(string, bool)>("SELECT status, embeddings_enabled FROM etl_job_runs WHERE id = @runId FOR UPDATE", new { runId }, tx);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
