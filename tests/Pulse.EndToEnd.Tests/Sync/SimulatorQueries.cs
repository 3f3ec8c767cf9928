using System.Net.Http.Json;
using System.Text.Json;
using Pulse.GitHubSimulator.Http;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Asks the simulator what GitHub holds, through its GraphQL endpoint like any client.</summary>
public static class SimulatorQueries
{
    public static async Task<long> PullRequestCountAsync(GitHubSimulatorServer sim, string owner, CancellationToken ct)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("bearer", "sim-token");
        var body = new { query = "query($o: String!) { repositoryOwner(login: $o) { repositories(first: 100) { nodes { pullRequests { totalCount } } } } }", variables = new { o = owner } };
        using var response = await http.PostAsJsonAsync(sim.GraphQLUrl, body, ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("data").GetProperty("repositoryOwner").GetProperty("repositories").GetProperty("nodes")
            .EnumerateArray().Sum(n => n.GetProperty("pullRequests").GetProperty("totalCount").GetInt64());
    }

    /// <summary>Every (repository name, PR number) the owner has, in the simulator's order.</summary>
    public static async Task<IReadOnlyList<(string Repo, int Number)>> PullRequestsAsync(GitHubSimulatorServer sim, string owner, CancellationToken ct)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("bearer", "sim-token");
        var body = new { query = "query($o: String!) { repositoryOwner(login: $o) { repositories(first: 100) { nodes { name pullRequests(first: 100) { nodes { number } } } } } }", variables = new { o = owner } };
        using var response = await http.PostAsJsonAsync(sim.GraphQLUrl, body, ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("data").GetProperty("repositoryOwner").GetProperty("repositories").GetProperty("nodes").EnumerateArray()
            .SelectMany(r => r.GetProperty("pullRequests").GetProperty("nodes").EnumerateArray().Select(p => (r.GetProperty("name").GetString()!, p.GetProperty("number").GetInt32())))
            .ToList();
    }
}
