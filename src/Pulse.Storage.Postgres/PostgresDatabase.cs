using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;
using Pgvector.Npgsql;
using Pulse.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>
/// A shared PostgreSQL server: many workers in many processes write at once, so every check-and-flip of a run first locks
/// the run's row (the dialect's <see cref="SqlDialect.ForUpdate"/>), and a transaction that loses a race, or the server's
/// restart, is run again from the start.
/// </summary>
public sealed class PostgresDatabase : RelationalDatabase, IAsyncDisposable
{
    private const long MigrationLock = 0x5075_6c73_6500_0001;   // "Pulse" + schema
    private readonly PostgresRetry _retry;
    private NpgsqlDataSource _source;

    static PostgresDatabase() => DbValues.Register(typeof(NpgsqlParameter), d => d.ToUniversalTime());

    public PostgresDatabase(string connectionString, PostgresRetryOptions? retry = null, TimeProvider? time = null) : base(time ?? TimeProvider.System)
    {
        ConnectionString = connectionString;
        _source = Build(connectionString);
        _retry = new PostgresRetry(retry ?? new PostgresRetryOptions(), Time, () => _source.Clear());
        Dialect = new PostgresDialect();
    }

    public override SqlDialect Dialect { get; }

    public string ConnectionString { get; }

    /// <summary>The database name, for the key file beside nothing: PostgreSQL keeps no local file.</summary>
    public string DatabaseName => new NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "postgres";

    private static NpgsqlDataSource Build(string connectionString)
    {
        // The same statements run for every page and row: prepared once per pooled session, they skip parsing and planning.
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 };
        // No JIT compilation of plans: a run's sweeps cost enough to be compiled (LLVM) on every run, and compiling took more CPU
        // than it saved, ~3% of the database's CPU in a distributed full sync (perf on its backends).
        settings.Options = $"{settings.Options} -c jit=off".Trim();
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UseVector();
        return builder.Build();
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    private static readonly IReadOnlyList<Migrations.Migration> Known = Migrations.Of(typeof(PostgresDatabase).Assembly, "Pulse.Postgres.Migrations.");

    public override IReadOnlyList<Migrations.Migration> KnownMigrations => Known;

    public override string Label => $"'{DatabaseName}'";

    /// <summary>Under a session advisory lock, so that processes starting together apply each version exactly once.</summary>
    public override async Task MigrateAsync(CancellationToken ct)
    {
        await using (var connection = await OpenAsync(ct))
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@MigrationLock)", new { MigrationLock });
            try
            {
                await Migrations.ApplyAsync(connection, KnownMigrations, "TIMESTAMPTZ", Now, Label, ct);
                await RequirePgvectorAsync(connection);
            }
            finally
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLock)", new { MigrationLock });
            }
        }
        // The vector type may have just been created: a fresh data source learns its OID.
        var old = _source;
        _source = Build(ConnectionString);
        await old.DisposeAsync();
    }

    /// <summary>Filtered vector search walks the HNSW index with iterative scans (PostgresDialect.NearestAsync), new in pgvector 0.8.0.</summary>
    private static async Task RequirePgvectorAsync(NpgsqlConnection connection)
    {
        var version = await connection.ExecuteScalarAsync<string?>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
        if (version is null || !Version.TryParse(version, out var v) || v < new Version(0, 8, 0))
            throw new InvalidOperationException($"PostgreSQL's pgvector extension is {version ?? "missing"}; Pulse needs 0.8.0 or later (ALTER EXTENSION vector UPDATE).");
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one READ COMMITTED transaction, run again whole on a lost
    /// deadlock or serialization race, and while the server is away (see <see cref="PostgresRetry"/>).
    /// </summary>
    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) => _retry.RunAsync(async token =>
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

    public override Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct) => _retry.RunAsync(async token =>
    {
        await using var connection = await OpenAsync(token);
        return await work(connection);
    }, ct);

    public override Task<T> ReadInTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) => _retry.RunAsync(async token =>
    {
        await using var connection = await OpenAsync(token);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
        var result = await work(connection, tx);
        await tx.CommitAsync(token);
        return result;
    }, ct);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
