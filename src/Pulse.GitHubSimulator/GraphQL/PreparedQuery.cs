using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.GraphQL.Validation;

namespace Pulse.GitHubSimulator.GraphQL;

/// <summary>A parsed, validated and costed request, ready for <see cref="GitHubGraphQLEngine.Execute"/>.</summary>
internal sealed class PreparedQuery(IReadOnlyList<JsonObject> errors, QueryCost cost, bool dryRun) : QueryPlan
{
    public override IReadOnlyList<JsonObject> Errors { get; } = errors;
    public override QueryCost Cost { get; } = cost;
    public override bool DryRun { get; } = dryRun;

    public GraphQLDocument? Document { get; init; }
    public GraphQLOperationDefinition? Operation { get; init; }
    public JsonObject Variables { get; init; } = [];
    public LineMap? Lines { get; init; }
}
