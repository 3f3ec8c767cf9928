using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL;
using ExecutionContext = Pulse.GitHubSimulator.GraphQL.ExecutionContext;

namespace Pulse.GitHubSimulator.Tests;

/// <summary>A small data set in DATASET.md format and helpers to run queries against it.</summary>
internal static class TestDataSet
{
    public const string Json = """
    {
      "format": "pulse-github-dataset/1",
      "generatedAt": "2024-02-01T00:00:00Z",
      "owners": [ { "login": "acme", "__typename": "Organization" }, { "login": "jane", "__typename": "User" } ],
      "repositories": [
        {
          "id": "R_1", "databaseId": 100, "owner": "acme", "name": "widgets", "isPrivate": false,
          "createdAt": "2023-01-01T00:00:00Z",
          "pullRequests": [
            {
              "id": "PR_1", "databaseId": 3000000001, "number": 1, "title": "First", "body": "b1",
              "state": "MERGED", "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-05T00:00:00Z",
              "closedAt": "2024-01-05T00:00:00Z", "mergedAt": "2024-01-05T00:00:00Z",
              "author": { "__typename": "User", "login": "jane" }, "mergedBy": { "__typename": "Bot", "login": "bot" },
              "labels": [ { "id": "LA_1", "name": "bug" } ],
              "commits": [
                { "id": "PURC_1", "commit": { "oid": "aaa", "message": "one", "author": { "name": "Jane", "email": "j@x", "user": { "login": "jane" } } } },
                { "id": "PURC_2", "commit": { "oid": "bbb", "message": "two" } }
              ],
              "reviews": [ { "id": "PRR_1", "databaseId": 11, "state": "APPROVED", "author": { "__typename": "User", "login": "bob" } } ],
              "comments": [ { "id": "IC_1", "databaseId": 21, "body": "hi", "author": null } ],
              "reviewThreads": [
                { "id": "PRRT_1", "isResolved": false, "path": "a.go", "comments": [
                  { "id": "PRRC_1", "databaseId": 31, "body": "c1", "pullRequestReview": { "id": "PRR_1" } },
                  { "id": "PRRC_2", "databaseId": 32, "body": "c2", "replyTo": { "id": "PRRC_1" } } ] }
              ]
            },
            { "id": "PR_2", "databaseId": 3000000002, "number": 2, "title": "Second", "state": "OPEN",
              "createdAt": "2024-01-02T00:00:00Z", "updatedAt": "2024-01-03T00:00:00Z",
              "labels": [], "commits": [], "reviews": [], "comments": [], "reviewThreads": [] },
            { "id": "PR_3", "databaseId": 3000000003, "number": 3, "title": "Third", "state": "CLOSED",
              "createdAt": "2024-01-03T00:00:00Z", "updatedAt": "2024-01-04T00:00:00Z", "closedAt": "2024-01-04T00:00:00Z",
              "labels": [], "commits": [], "reviews": [], "comments": [], "reviewThreads": [] }
          ]
        }
      ]
    }
    """;

    public static ISimulatorData Load() => SimulatorDataLoader.FromJson(Json);

    public static readonly ExecutionContext Context = new(
        new RateLimitSnapshot(1, 5000, 4999, 1, new DateTimeOffset(2022, 6, 20, 21, 19, 17, TimeSpan.Zero), 3), "jane");

    public static QueryPlan Prepare(string query, JsonObject? variables = null, string? operationName = null) =>
        new GitHubGraphQLEngine(Load()).Prepare(new GraphQLRequest(query, variables, operationName));

    public static JsonObject Run(string query, JsonObject? variables = null, ExecutionContext? context = null) =>
        Run(Load(), query, variables, context);

    public static JsonObject Run(ISimulatorData data, string query, JsonObject? variables = null, ExecutionContext? context = null)
    {
        var engine = new GitHubGraphQLEngine(data);
        var plan = engine.Prepare(new GraphQLRequest(query, variables, null));
        Assert.Empty(plan.Errors);
        var result = engine.Execute(plan, context ?? Context);
        return JsonNode.Parse(Encoding.UTF8.GetString(result.Body))!.AsObject();
    }

    /// <summary>The repository root: the directory holding Pulse.slnx, found from the test assembly upwards.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pulse.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pulse.slnx not found above the test assembly.");
    }
}
