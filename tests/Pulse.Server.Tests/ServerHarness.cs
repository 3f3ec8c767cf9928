using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.Server;

namespace Pulse.Server.Tests;

/// <summary>
/// A real server on a free port (in-process, real HTTP) over a temporary SQLite file (or a fresh PostgreSQL database), and a
/// GitHub simulator.
/// </summary>
public sealed class ServerHarness : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";
    public const string SimulatorToken = "sim-token";
    private readonly string _directory = Directory.CreateTempSubdirectory("pulse-server-").FullName;

    private bool _ownsSimulator = true;
    private readonly string? _postgresDatabase;

    private ServerHarness(WebApplication app, GitHubSimulatorServer? sim, string? postgresDatabase = null)
    {
        _postgresDatabase = postgresDatabase;
        App = app;
        Simulator = sim!;
        BaseAddress = PulseServer.AddressOf(app);
    }

    public WebApplication App { get; }

    /// <summary>The GitHub simulator; null until <see cref="StartSimulatorAsync"/> or <see cref="UseSimulator"/> when started without one.</summary>
    public GitHubSimulatorServer Simulator { get; private set; }
    public Uri BaseAddress { get; }
    public string Owner => SyntheticDataset.OrganizationLogin;

    public static async Task<ServerHarness> StartAsync(string synthetic = "repos=2,prs=12,seed=5", bool embeddings = false, CancellationToken ct = default)
    {
        var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = SyntheticSpec.Parse(synthetic), ProcessingTimeScale = 0 }, ct);
        return new ServerHarness(await StartServerAsync(embeddings, null, null, ct), sim);
    }

    /// <summary>A server without a simulator yet (webhook tests start it once they know where deliveries go), on either backend.</summary>
    public static async Task<ServerHarness> StartWithoutSimulatorAsync(Core.Webhooks.WebhookOptions webhooks, Backend backend = Backend.Sqlite, CancellationToken ct = default)
    {
        if (backend == Backend.Sqlite) return new(await StartServerAsync(false, webhooks, null, ct), null);
        // Every process sharing a PostgreSQL database holds PULSE_SECRET_KEY: this test process is one deployment, one key.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Hosting.SecretKeys.Variable)))
            Environment.SetEnvironmentVariable(Hosting.SecretKeys.Variable, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var name = $"pulse_server_{Guid.NewGuid():N}";
        var database = await TestServers.CreateDatabaseAsync(name, ct);
        try
        {
            return new(await StartServerAsync(false, webhooks, database, ct), null, name);
        }
        catch
        {
            await TestServers.DropDatabaseAsync(name);
            throw;
        }
    }

    /// <summary>Starts this harness's simulator (disposed with it).</summary>
    public async Task<GitHubSimulatorServer> StartSimulatorAsync(SimulatorOptions options, CancellationToken ct = default) =>
        Simulator = await GitHubSimulatorServer.StartAsync(options, ct);

    /// <summary>Points this harness at another harness's simulator (not disposed with this one).</summary>
    public void UseSimulator(GitHubSimulatorServer simulator) => (Simulator, _ownsSimulator) = (simulator, false);

    private static async Task<WebApplication> StartServerAsync(bool embeddings, Core.Webhooks.WebhookOptions? webhooks, string? postgres, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("pulse-server-db-").FullName;
        var app = await PulseServer.BuildAsync(new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            Database = postgres ?? "sqlite:" + Path.Combine(directory, "pulse.db"),
            AdminKey = AdminKey,
            Embeddings = embeddings,
            SchedulerTick = TimeSpan.FromSeconds(1),
            RunnerTick = TimeSpan.FromMilliseconds(200),
            Heartbeat = TimeSpan.FromSeconds(2),
            Extract = new() { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(2) },
            Webhooks = webhooks ?? new(),
        }, ct);
        await app.StartAsync(ct);
        return app;
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A new tenant and one key of it, made with the admin key.</summary>
    public async Task<(long TenantId, string Key)> NewTenantAsync(string name)
    {
        using var admin = Client(AdminKey);
        var tenant = await ReadAsync(await admin.PostAsJsonAsync("/api/admin/tenants", new { name }));
        var id = tenant.GetProperty("id").GetInt64();
        var key = await ReadAsync(await admin.PostAsJsonAsync($"/api/admin/tenants/{id}/keys", new { name = "test" }));
        return (id, key.GetProperty("key").GetString()!);
    }

    /// <summary>An integration of the simulator's organisation; returns (integration id, job id).</summary>
    public async Task<(long IntegrationId, long JobId)> AddIntegrationAsync(HttpClient client)
    {
        var created = await ReadAsync(await client.PostAsJsonAsync("/api/integrations",
            new { github_url = Simulator.GraphQLUrl.ToString(), owner = Owner, token = SimulatorToken, page_size = 50 }));
        var integrationId = created.GetProperty("id").GetInt64();
        var jobs = await ReadAsync(await client.GetAsync("/api/jobs"));
        var job = jobs.EnumerateArray().Single(j => j.GetProperty("integration_id").GetInt64() == integrationId);
        return (integrationId, job.GetProperty("id").GetInt64());
    }

    public async Task<JsonElement> WaitForOverallAsync(HttpClient client, long jobId, params string[] overall)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
        while (true)
        {
            var job = (await ReadAsync(await client.GetAsync($"/api/jobs/{jobId}"))).GetProperty("job");
            if (overall.Contains(job.GetProperty("status").GetProperty("overall").GetString()) && !job.GetProperty("running").GetBoolean()) return job;
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"job {jobId} is still {job.GetProperty("status").GetProperty("overall")}");
            await Task.Delay(200);
        }
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_ownsSimulator && Simulator is not null) await Simulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null) await TestServers.DropDatabaseAsync(_postgresDatabase);
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
