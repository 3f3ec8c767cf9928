using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.Http;

namespace Pulse.GitHubSimulator.Tests.TestSupport;

/// <summary>A started simulator over a fake engine and a one-PR data set, with a client that speaks to it over HTTP.</summary>
internal sealed class SimulatorHarness : IAsyncDisposable
{
    public const string TinyDataset = """
        {"format":"pulse-github-dataset/1","generatedAt":"2026-01-01T00:00:00Z",
         "owners":[{"login":"acme","__typename":"Organization"}],
         "repositories":[{"id":"R_1","databaseId":1,"owner":"acme","name":"widgets",
           "pullRequests":[{"id":"PR_1","databaseId":11,"number":1,"title":"t","state":"OPEN",
             "createdAt":"2025-12-01T00:00:00Z","updatedAt":"2025-12-02T00:00:00Z","author":{"__typename":"User","login":"jane"},
             "commits":[],"reviews":[],"comments":[],"reviewThreads":[],"labels":[]}]}]}
        """;

    private SimulatorHarness(GitHubSimulatorServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public GitHubSimulatorServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<SimulatorHarness> StartAsync(SimulatorOptions? options = null) =>
        new(await GitHubSimulatorServer.StartAsync(
            options ?? new SimulatorOptions { ProcessingTimeScale = 0 }, SimulatorDataLoader.FromJson(TinyDataset), new FakeEngine(),
            TestContext.Current.CancellationToken));

    public Task<HttpResponseMessage> PostAsync(string query, string? authorization = "bearer sim-token")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonObject> BodyAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
