using Npgsql;

namespace Pulse.Storage.Tests;

/// <summary>The test server's PostgreSQL (PULSE_TEST_POSTGRES, else the one scripts/services.sh starts): a database of its own per test.</summary>
internal static class TestPostgres
{
    private static string Admin => Environment.GetEnvironmentVariable("PULSE_TEST_POSTGRES") is { Length: > 0 } s ? s : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    /// <summary>A new, empty database named <paramref name="prefix"/> and a GUID; its connection string.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateDatabaseAsync(string prefix, CancellationToken ct)
    {
        var name = $"{prefix}{Guid.NewGuid():N}";
        await using var c = new NpgsqlConnection(Admin);
        await c.OpenAsync(ct);
        await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c).ExecuteNonQueryAsync(ct);
        return (name, new NpgsqlConnectionStringBuilder(Admin) { Database = name }.ConnectionString);
    }

    /// <summary>PostgreSQL's migrations, as the storage applies them.</summary>
    public static IReadOnlyList<Pulse.Storage.Migrations.Migration> Migrations { get; } =
        Pulse.Storage.Migrations.Of(typeof(Pulse.Storage.Postgres.PostgresDatabase).Assembly, "Pulse.Postgres.Migrations.");

    /// <summary>A new, empty database with one open connection of its own, dropped when disposed: a migration test's ground.</summary>
    public static async Task<ScratchDatabase> OpenScratchAsync(string prefix, CancellationToken ct)
    {
        var (name, connectionString) = await CreateDatabaseAsync(prefix, ct);
        // Not pooled, so the drop finds it closed.
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await c.OpenAsync(ct);
            return new ScratchDatabase(name, c);
        }
        catch
        {
            await c.DisposeAsync();
            await DropDatabaseAsync(name);
            throw;
        }
    }

    /// <summary>Drops the database, closing whatever connections are still open on it.</summary>
    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(Admin);
        await c.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", c).ExecuteNonQueryAsync();
    }
}

/// <summary>A test's own PostgreSQL database and its open connection; disposing drops the database.</summary>
internal sealed class ScratchDatabase(string name, NpgsqlConnection connection) : IAsyncDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    /// <summary>Applies <paramref name="migrations"/> as the storage does.</summary>
    public Task MigrateAsync(IReadOnlyList<Pulse.Storage.Migrations.Migration> migrations, CancellationToken ct) =>
        Pulse.Storage.Migrations.ApplyAsync(Connection, migrations, "TIMESTAMPTZ", DateTimeOffset.UtcNow, "'test'", ct);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(name);
    }
}
