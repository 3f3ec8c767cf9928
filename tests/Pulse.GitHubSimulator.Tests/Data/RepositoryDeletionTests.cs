using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.Http;

namespace Pulse.GitHubSimulator.Tests.Data;

/// <summary>A repository deleted at runtime answers as GitHub answers for a missing object (issue 6).</summary>
public sealed class RepositoryDeletionTests
{
    private const string Twin = """
        ,{ "id": "R_2", "databaseId": 200, "owner": "acme", "name": "gadgets", "createdAt": "2023-02-01T00:00:00Z",
           "pullRequests": [ { "id": "PR_9", "databaseId": 3000000009, "number": 9, "title": "Other", "state": "OPEN",
             "createdAt": "2024-01-02T00:00:00Z", "updatedAt": "2024-01-03T00:00:00Z" } ] }
        """;

    private static ISimulatorData TwoRepositories()
    {
        var json = TestDataSet.Json;
        var end = json.LastIndexOf(']');
        return SimulatorDataLoader.FromJson(json[..end] + Twin + json[end..]);
    }

    private static JsonObject Delete(string owner, string repo) => new() { ["op"] = "delete_repo", ["owner"] = owner, ["repo"] = repo };

    [Fact]
    public void Apply_DeleteRepo_RepositoryLookupAnswersGitHubsNotFound()
    {
        var data = TwoRepositories();

        var result = data.Apply(Delete("acme", "widgets"));
        var body = TestDataSet.Run(data, "{ repository(owner: \"acme\", name: \"widgets\") { id name } }");

        Assert.Equal("acme/widgets", (string?)result["deleted"]);
        Assert.Equal(3, (int)result["pullRequests"]!);
        Assert.Null(body["data"]!["repository"]);
        var error = body["errors"]![0]!;
        Assert.Equal("NOT_FOUND", (string?)error["type"]);
        Assert.Equal("Could not resolve to a Repository with the name 'acme/widgets'.", (string?)error["message"]);
        Assert.Equal("repository", (string?)error["path"]![0]);
    }

    [Fact]
    public void Apply_DeleteRepo_GoneFromTheOwnersListingOthersStay()
    {
        var data = TwoRepositories();

        data.Apply(Delete("acme", "widgets"));
        var body = TestDataSet.Run(data, "{ organization(login: \"acme\") { repositories(first: 10) { totalCount nodes { name } } } }");

        var listing = body["data"]!["organization"]!["repositories"]!;
        Assert.Equal(1, (int)listing["totalCount"]!);
        Assert.Equal("gadgets", (string?)listing["nodes"]![0]!["name"]);
        Assert.Equal(1, data.Counts["repositories"]);
        Assert.Equal(1, data.Counts["pullRequests"]);
    }

    [Theory]
    [InlineData("R_1")]
    [InlineData("PR_1")]
    [InlineData("PRRT_1")]
    [InlineData("IC_1")]
    public void Apply_DeleteRepo_NodeLookupsOfItAndItsContentAnswerNotFound(string id)
    {
        var data = TwoRepositories();

        data.Apply(Delete("acme", "widgets"));
        var body = TestDataSet.Run(data, $"{{ node(id: \"{id}\") {{ id }} other: node(id: \"PR_9\") {{ id }} }}");

        Assert.Null(body["data"]!["node"]);
        Assert.Equal("PR_9", (string?)body["data"]!["other"]!["id"]);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("NOT_FOUND", (string?)error["type"]);
        Assert.Equal($"Could not resolve to a node with the global id of '{id}'.", (string?)error["message"]);
    }

    [Fact]
    public void Apply_DeleteRepoTwiceOrUnknown_ThrowsSayingWhich()
    {
        var data = TwoRepositories();
        data.Apply(Delete("acme", "widgets"));

        var again = Assert.Throws<ArgumentException>(() => data.Apply(Delete("acme", "widgets")));

        Assert.Equal("Mutation delete_repo: no repository acme/widgets.", again.Message);
    }

    [Fact]
    public async Task ControlEndpoint_DeleteRepository_AnswersWhatWentAnd400ForAnUnknownOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { ProcessingTimeScale = 0 }, TwoRepositories(), ct);
        using var client = new HttpClient { BaseAddress = sim.BaseUrl };

        var deleted = await client.PostAsJsonAsync("_sim/repositories/delete", new JsonObject { ["owner"] = "acme", ["repo"] = "gadgets" }, ct);
        var unknown = await client.PostAsJsonAsync("_sim/repositories/delete", new JsonObject { ["owner"] = "acme", ["repo"] = "gadgets" }, ct);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("""{"op":"delete_repo","deleted":"acme/gadgets","pullRequests":1}""", await deleted.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(1, sim.DataCounts["repositories"]);
    }
}
