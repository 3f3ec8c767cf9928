using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.Http;

namespace Pulse.GitHubSimulator.Tests.TestSupport;

/// <summary>GitHub's engine behind the HTTP host, over a data set, with a client that posts queries as a token.</summary>
internal sealed class RealSimulator : IAsyncDisposable
{
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };

    private RealSimulator(GitHubSimulatorServer server) => Server = server;

    public GitHubSimulatorServer Server { get; }

    /// <summary>The small data set of <see cref="TestDataSet"/> (acme/widgets, three pull requests) unless another is given.</summary>
    public static async Task<RealSimulator> StartAsync(SimulatorOptions? options = null, string? dataset = null) =>
        new(await GitHubSimulatorServer.StartAsync(options ?? new SimulatorOptions { ProcessingTimeScale = 0 },
            SimulatorDataLoader.FromJson(dataset ?? TestDataSet.Json), TestContext.Current.CancellationToken));

    /// <summary>Synthetic data (<see cref="Synthetic.SyntheticSpec"/>).</summary>
    public static async Task<RealSimulator> StartSyntheticAsync(SimulatorOptions options) =>
        new(await GitHubSimulatorServer.StartAsync(options, TestContext.Current.CancellationToken));

    public sealed record Answer(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)
    {
        public JsonNode? Data => Body["data"];
        public JsonArray Errors => Body["errors"] as JsonArray ?? [];
        public string Header(string name) => Response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
    }

    public async Task<Answer> PostAsync(string query, JsonObject? variables = null, string token = "sim-token")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Server.GraphQLUrl)
        {
            Content = new StringContent(new JsonObject { ["query"] = query, ["variables"] = variables }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, (JsonObject)JsonNode.Parse(text)!, response);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await Server.DisposeAsync();
    }
}
