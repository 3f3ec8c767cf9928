using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>
/// The servers dropping this run's connections mid-run, as a restart does, without restarting the
/// servers other tests share: RabbitMQ closes the connections (management API), PostgreSQL
/// terminates the sessions of the run's database.
/// </summary>
public sealed class ConnectionLossTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_WhenBrokerConnectionsAndDatabaseSessionsDropMidRun_EndsWithTheRowsOfAnUninterruptedRun()
    {
        var spec = SyntheticSpec.Parse("repos=3,prs=60,seed=31,commits_max=250,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(1000) }, Ct);
        await using var clean = new SyncHarness(Backend.Sqlite);
        Assert.True((await clean.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        await using var harness = new SyncHarness(Backend.Postgres);
        var database = await harness.PostgresAsync(Ct);
        var sync = harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct);

        await WorkerProcessTests.WaitUntilAsync(async () => sync.IsCompleted || await RawPagesAsync(database) >= 2, TimeSpan.FromMinutes(2));
        Assert.False(sync.IsCompleted, "the run ended before its connections could be dropped");
        // The management API lists a connection only after its next statistics tick (5 s).
        var closed = 0;
        await WorkerProcessTests.WaitUntilAsync(async () => sync.IsCompleted || (closed = await CloseBrokerConnectionsAsync(harness.QueuePrefix)) > 0, TimeSpan.FromSeconds(30));
        var terminated = await TerminateSessionsAsync(database);

        var result = await sync;
        Assert.True(result.Succeeded, result.Error);
        Assert.True(closed > 0, "no broker connection of the run was found to close");
        Assert.True(terminated > 0, "no database session of the run was found to terminate");
        NpgsqlConnection.ClearAllPools();   // this test's own pooled sessions were terminated too
        Assert.Equal(await clean.CanonicalDumpAsync(), await harness.CanonicalDumpAsync());
    }

    private static async Task<long> RawPagesAsync(string database)
    {
        await using var c = new NpgsqlConnection(database);
        try
        {
            return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_extraction_data");
        }
        catch (PostgresException)
        {
            return 0;
        }
    }

    private static async Task<int> TerminateSessionsAsync(string database)
    {
        await using var admin = new NpgsqlConnection(TestServers.Postgres);
        return (await admin.QueryAsync<bool>("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid()",
            new { name = new NpgsqlConnectionStringBuilder(database).Database })).Count(x => x);
    }

    private static async Task<int> CloseBrokerConnectionsAsync(string prefix)
    {
        var broker = new Uri(TestServers.RabbitMq);
        var user = broker.UserInfo.Length > 0 ? Uri.UnescapeDataString(broker.UserInfo) : "guest:guest";
        using var http = new HttpClient { BaseAddress = new Uri($"http://{broker.Host}:15672/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user)));
        var connections = await http.GetFromJsonAsync<JsonArray>("api/connections", Ct) ?? [];
        var closed = 0;
        foreach (var c in connections)
        {
            var clientName = c?["client_properties"]?["connection_name"]?.GetValue<string>() ?? "";
            if (!clientName.EndsWith(":" + prefix, StringComparison.Ordinal)) continue;
            using var response = await http.DeleteAsync("api/connections/" + Uri.EscapeDataString(c!["name"]!.GetValue<string>()), Ct);
            if (response.IsSuccessStatusCode) closed++;
        }
        return closed;
    }
}
