using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.Http;

namespace Pulse.GitHubSimulator.Tests.TestSupport;

/// <summary>GitHub's engine over a data set behind the real host, asked over HTTP as a client of another project asks it.</summary>
internal sealed class LiveSimulator : IAsyncDisposable
{
    private readonly HttpClient _client;

    private LiveSimulator(GitHubSimulatorServer server)
    {
        Server = server;
        _client = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", "sim-token");
    }

    public GitHubSimulatorServer Server { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<LiveSimulator> StartAsync(string datasetJson) =>
        new(await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0 }, SimulatorDataLoader.FromJson(datasetJson), Ct));

    public static async Task<LiveSimulator> StartAsync(SimulatorOptions options) =>
        new(await GitHubSimulatorServer.StartAsync(options, Ct));

    /// <summary>The whole answer body ({"data", "errors"}) of one query.</summary>
    public async Task<JsonObject> QueryAsync(string query, JsonObject? variables = null)
    {
        var body = new JsonObject { ["query"] = query };
        if (variables is not null) body["variables"] = variables.DeepClone();
        using var response = await _client.PostAsync("graphql", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    /// <summary>POST /_sim/mutate: the status and the answer (the change, or {"message"} saying why it was refused).</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> MutateAsync(JsonObject mutation)
    {
        using var response = await _client.PostAsync("_sim/mutate", new StringContent(mutation.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Server.DisposeAsync();
    }
}
