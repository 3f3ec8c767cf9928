using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Core.Webhooks;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Server.Tests.Server.Webhooks;

/// <summary>
/// A server whose integration's webhook is the simulator's: the integration is made first (pointing at a free port), then the
/// simulator starts on that port sending every mutation's deliveries, signed, to the integration's webhook path.
/// </summary>
internal sealed class WebhookRig : IAsyncDisposable
{
    public const string Secret = "hook-secret";

    private WebhookRig(ServerHarness server, string key, long integrationId, long jobId, Backend backend) =>
        (Server, Key, Client, IntegrationId, JobId, Backend) = (server, key, server.Client(key), integrationId, jobId, backend);

    public ServerHarness Server { get; }

    /// <summary>The API key of the rig's tenant.</summary>
    public string Key { get; }
    public HttpClient Client { get; }
    public long IntegrationId { get; }
    public long JobId { get; }
    public Backend Backend { get; }
    public GitHubSimulatorServer Simulator => Server.Simulator;

    public static async Task<WebhookRig> StartAsync(string synthetic, double dropRate, Backend backend, CancellationToken ct)
    {
        var server = await ServerHarness.StartWithoutSimulatorAsync(new WebhookOptions
        {
            // Refreshes side by side: every test over the rig checks that they never write a PR's older state over a newer one.
            CoalesceWindow = TimeSpan.FromMilliseconds(200), RetryBackoff = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromSeconds(1),
            MaxConcurrentRefreshes = 4,
        }, backend, ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        var port = FreePort();
        var (integrationId, jobId) = await SignedDeliveries.AddIntegrationAsync(client, new Uri($"http://127.0.0.1:{port}/graphql"), SyntheticDataset.OrganizationLogin, Secret);
        await server.StartSimulatorAsync(new SimulatorOptions
        {
            Port = port, Synthetic = SyntheticSpec.Parse(synthetic), ProcessingTimeScale = 0,
            WebhookUrl = new Uri(server.BaseAddress, $"/api/webhooks/github/{integrationId}"), WebhookSecret = Secret, WebhookDropRate = dropRate,
        }, ct);
        return new WebhookRig(server, key, integrationId, jobId, backend);
    }

    /// <summary>Runs the scheduled job now (a full sync the first time, incremental after) and waits for it to finish.</summary>
    public async Task SyncAsync()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await Client.PostAsync($"/api/jobs/{JobId}/run-now", null)).StatusCode);
        var job = await Server.WaitForOverallAsync(Client, JobId, "FINISHED", "FAILED");
        Assert.Equal("FINISHED", job.GetProperty("status").GetProperty("overall").GetString());
    }

    /// <summary>Applies a mutation over the simulator's control surface; its answer (with the ids of the deliveries it caused).</summary>
    public async Task<JsonObject> MutateAsync(JsonObject mutation)
    {
        using var http = new HttpClient { BaseAddress = Simulator.BaseUrl };
        var response = await http.PostAsJsonAsync("/_sim/mutate", mutation);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Applies the mutation and waits until each of its deliveries has ended, none failed; the mutation's answer.</summary>
    public async Task<JsonObject> ApplyAsync(JsonObject mutation)
    {
        var result = await MutateAsync(mutation);
        var ids = (result["deliveries"] as JsonArray ?? []).Select(i => (string)i!).ToHashSet();
        Assert.NotEmpty(ids);
        var ended = await WaitForAsync(DeliveriesAsync,
            d => d.EnumerateArray().Count(x => ids.Contains(x.GetProperty("delivery_id").GetString()!) && x.GetProperty("status").GetString() != "pending") == ids.Count,
            $"{mutation["op"]}'s deliveries to end");
        Assert.DoesNotContain(ended.EnumerateArray(), x => ids.Contains(x.GetProperty("delivery_id").GetString()!) && x.GetProperty("status").GetString() == "failed");
        return result;
    }

    /// <summary>Every PR Pulse holds, by "repository#number", as its detail (children included) without Pulse's own row id.</summary>
    public Task<SortedDictionary<string, string>> DetailsAsync() => DetailsAsync(Client);

    public static async Task<SortedDictionary<string, string>> DetailsAsync(HttpClient client)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var list = await ServerHarness.ReadAsync(await client.GetAsync("/api/prs?page_size=100"));
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var detail = JsonNode.Parse((await ServerHarness.ReadAsync(await client.GetAsync($"/api/prs/{item.GetProperty("id").GetInt64()}"))).GetRawText())!;
            detail["summary"]!.AsObject().Remove("id");
            result[$"{item.GetProperty("repository").GetString()}#{item.GetProperty("number").GetInt32()}"] = detail.ToJsonString();
        }
        return result;
    }

    /// <summary>The PR details a fresh full sync of the same simulator gives, on a new server and database of the same backend.</summary>
    public Task<SortedDictionary<string, string>> FreshFullSyncAsync(CancellationToken ct) => FreshFullSyncAsync(DetailsAsync, ct);

    /// <summary>What <paramref name="read"/> reads of a fresh full sync of the same simulator, on a new server and database of the same backend.</summary>
    public async Task<T> FreshFullSyncAsync<T>(Func<HttpClient, Task<T>> read, CancellationToken ct)
    {
        await using var fresh = await ServerHarness.StartWithoutSimulatorAsync(new(), Backend, ct);
        fresh.UseSimulator(Simulator);
        var (_, key) = await fresh.NewTenantAsync("fresh");
        using var client = fresh.Client(key);
        var (_, job) = await fresh.AddIntegrationAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/jobs/{job}/run-now", null, ct)).StatusCode);
        await fresh.WaitForOverallAsync(client, job, "FINISHED");
        return await read(client);
    }

    public async Task<JsonElement> DetailAsync(string repository, int number) =>
        JsonDocument.Parse((await DetailsAsync())[$"{repository}#{number}"]).RootElement.Clone();

    /// <summary>Polls until <paramref name="done"/> holds, with a generous deadline for a loaded machine.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException($"Still waiting for {what}; last seen: {value}");
            await Task.Delay(100);
        }
    }

    /// <summary>The deliveries Pulse stored, newest first.</summary>
    public async Task<JsonElement> DeliveriesAsync() => await ServerHarness.ReadAsync(await Client.GetAsync("/api/webhooks/deliveries?limit=500"));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
