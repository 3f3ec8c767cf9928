using System.Text.Json.Nodes;
using Pulse.Core.Extract;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.Core.Tests.Extract;

/// <summary>Every query Pulse can send is valid on GitHub's real schema, and costs what the planner predicted.</summary>
public sealed class QueryShapeTests
{
    private static readonly IGraphQLEngine Engine = new GitHubGraphQLEngine(SimulatorDataLoader.FromJson(
        """{"format":"pulse-github-dataset/1","generatedAt":"2026-01-01T00:00:00Z","owners":[{"login":"acme","__typename":"Organization"}],"repositories":[]}"""));

    public static TheoryData<string> Kinds => new(Enum.GetNames<FetchKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Build_EachKind_ValidOnGitHubSchemaWithThePredictedCost(string kindName)
    {
        var kind = Enum.Parse<FetchKind>(kindName);
        var units = Enumerable.Range(0, 3).Select(i => new FetchUnit($"u{i}",
            new Checkpoint(i + 1, 1, 1, 1, kind, $"NODE_{i}", "PR_1", i == 0 ? null : "Y3Vyc29yOnYyOpHOUH8B7g==", 5, 0, 100, null, "acme", $"repo{i}"),
            kind == FetchKind.RepositoryHead ? 1 : kind == FetchKind.ReviewThreads ? 5 : 100)).ToList();

        var query = QueryBuilder.Build(units);
        var plan = Engine.Prepare(new GraphQLRequest(query.Text, query.Variables, null));

        Assert.True(plan.Errors.Count == 0, string.Join("\n", plan.Errors.Select(e => e.ToJsonString())) + "\n" + query.Text);
        Assert.Equal(query.Requests, plan.Cost.Requests);
        Assert.Equal(query.Points, plan.Cost.Points);
        Assert.Equal(query.PossibleNodes, plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Build_MixedPack_ValidAndPriced()
    {
        var kinds = Enum.GetValues<FetchKind>();
        var units = kinds.Select((k, i) => new FetchUnit($"u{i}",
            new Checkpoint(i + 1, 1, 1, 1, k, $"NODE_{i}", "PR_1", null, 4, 0, 100, null, "acme", $"repo{i}"),
            k == FetchKind.RepositoryHead ? 1 : k == FetchKind.ReviewThreads ? 4 : 100)).ToList();

        var query = QueryBuilder.Build(units);
        var plan = Engine.Prepare(new GraphQLRequest(query.Text, (JsonObject)query.Variables.DeepClone(), null));

        Assert.Empty(plan.Errors);
        Assert.Equal(query.Requests, plan.Cost.Requests);
    }
}
