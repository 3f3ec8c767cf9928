using Npgsql;
using Pulse.Queue.RabbitMq;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>The two deployments every pipeline test runs on: the embedded default and the distributed one.</summary>
public enum Backend
{
    /// <summary>SQLite file + in-process queue.</summary>
    Sqlite,

    /// <summary>PostgreSQL (a fresh database per harness) + RabbitMQ (fresh queues per harness).</summary>
    Postgres,
}

/// <summary>
/// Where the test servers are: PULSE_TEST_POSTGRES and PULSE_TEST_RABBITMQ (scripts/test.sh exports
/// them after scripts/services.sh up), else the loopback defaults of services.sh. Unreachable servers
/// fail the test with a message naming the fix; they never skip it.
/// </summary>
public static class TestServers
{
    public static string Postgres => Environment.GetEnvironmentVariable("PULSE_TEST_POSTGRES") is { Length: > 0 } s ? s
        : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public static string RabbitMq => Environment.GetEnvironmentVariable("PULSE_TEST_RABBITMQ") is { Length: > 0 } s ? s : "amqp://guest:guest@127.0.0.1:5672/";

    public static TheoryData<Backend> Backends => [Backend.Sqlite, Backend.Postgres];

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name, CancellationToken ct)
    {
        try
        {
            await using var admin = new NpgsqlConnection(Postgres);
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            Assert.Fail($"PostgreSQL is not reachable at '{Postgres}' ({e.Message}). Start it with `sudo scripts/services.sh up` or set PULSE_TEST_POSTGRES.");
        }
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Postgres);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
        }
    }

    /// <summary>The broker URL with a queue prefix of its own, so parallel tests never share a queue.</summary>
    public static string RabbitMqWithPrefix(string prefix) => RabbitMq + (RabbitMq.Contains('?') ? "&" : "?") + "prefix=" + Uri.EscapeDataString(prefix);

    public static async Task<RabbitMqQueue> ConnectRabbitMqAsync(string prefix, CancellationToken ct)
    {
        try
        {
            return await RabbitMqQueue.ConnectAsync(RabbitMqOptions.Parse(RabbitMqWithPrefix(prefix)), ct);
        }
        catch (InvalidOperationException e)
        {
            Assert.Fail($"{e.Message}. Start it with `sudo scripts/services.sh up` or set PULSE_TEST_RABBITMQ.");
            throw;
        }
    }
}
