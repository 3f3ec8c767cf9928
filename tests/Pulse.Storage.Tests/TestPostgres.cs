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

    /// <summary>An open connection of its own (not pooled, so the drop below finds it closed) to the database.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await c.OpenAsync(ct);
        return c;
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
