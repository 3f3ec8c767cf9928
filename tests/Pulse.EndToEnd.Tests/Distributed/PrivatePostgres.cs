using Npgsql;
using static Pulse.EndToEnd.Tests.Distributed.PrivateServerTools;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>
/// A PostgreSQL 15 cluster of one test's own (initdb into a temp dir, a free loopback port), so the
/// test may stop and restart it while every other test keeps using the shared server.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _root;
    private readonly int _port;

    private PrivatePostgres(string root, int port) => (_root, _port) = (root, port);

    private string Data => Path.Combine(_root, "data");

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    public static async Task<PrivatePostgres> StartAsync()
    {
        RequireRoot();
        Assert.True(File.Exists(Path.Combine(Bin, "initdb")), $"PostgreSQL 15 is not installed ({Bin}/initdb); run `sudo scripts/services.sh up`.");
        var root = Directory.CreateTempSubdirectory("pulse-private-pg-").FullName;
        var server = new PrivatePostgres(root, FreePort());
        try
        {
            // The cluster runs as postgres: it owns the directory (sockets go there too).
            await RunCheckedAsync("chown", ["postgres:postgres", root], null, TimeSpan.FromSeconds(30));
            await RunCheckedAsync("runuser", ["-u", "postgres", "--", $"{Bin}/initdb", "-D", server.Data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
                null, TimeSpan.FromMinutes(2));
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the cluster (again) on the same data directory and port; returns once it accepts sessions.</summary>
    public async Task StartAgainAsync()
    {
        // fsync=off only risks an OS crash, which a test never causes; synchronous_commit stays on,
        // else an immediate stop loses commits a client was already told about.
        await RunCheckedAsync("runuser", ["-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", Data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "120", "-o",
            $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200", "start"],
            null, TimeSpan.FromMinutes(3));
        Assert.True(await WaitForAsync(async () =>
        {
            try
            {
                await using var c = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await c.OpenAsync();
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(1)), $"the private PostgreSQL on port {_port} did not accept sessions; log: {Log()}");
    }

    /// <summary>
    /// Stops the cluster. <c>immediate</c> is a crash as far as clients see it (sessions cut, no
    /// checkpoint, WAL replay on start); <c>fast</c> is an orderly shutdown that still aborts open transactions.
    /// </summary>
    public Task StopAsync(string mode = "immediate") =>
        RunCheckedAsync("runuser", ["-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", Data, "-m", mode, "-w", "-t", "120", "stop"], null, TimeSpan.FromMinutes(3));

    public string Log()
    {
        var path = Path.Combine(_root, "server.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(30)) : "(no log)";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
            await RunAsync("runuser", ["-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", Data, "-m", "immediate", "-w", "-t", "60", "stop"], null, TimeSpan.FromMinutes(2));
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
