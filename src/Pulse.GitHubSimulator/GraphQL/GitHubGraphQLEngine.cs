using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL.Cost;
using Pulse.GitHubSimulator.GraphQL.Execution;
using Pulse.GitHubSimulator.GraphQL.Validation;

namespace Pulse.GitHubSimulator.GraphQL;

/// <summary>
/// GitHub's GraphQL endpoint over simulator data: parse (GraphQL-Parser), validate (GraphQL.NET
/// rules in graphql-ruby's words), GitHub's connection and cost rules, then a hand-written executor
/// that writes GitHub's exact response shape.
/// </summary>
public sealed class GitHubGraphQLEngine(ISimulatorData data) : IGraphQLEngine
{
    private readonly SimulatorStore _store = data as SimulatorStore
        ?? throw new ArgumentException("The engine serves data loaded by SimulatorDataLoader.", nameof(data));

    public QueryPlan Prepare(GraphQLRequest request)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(request.Query, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLParserException e)
        {
            return Failed(SyntaxErrors.From(e, request.Query));
        }
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = request.OperationName is { Length: > 0 } name
            ? operations.FirstOrDefault(o => o.Name?.StringValue == name)
            : operations.Count == 1 ? operations[0] : null;
        if (operation is null)
        {
            return Failed(new JsonObject
            {
                ["message"] = operations.Count == 0 ? "This query has no operations" :
                    request.OperationName is { Length: > 0 } ? $"No operation named \"{request.OperationName}\"" : "An operation name is required",
            });
        }
        var lines = new LineMap(request.Query);
        // GitHub's schema has no subscription root; graphql-ruby's static validation says so (SubscriptionRootExists).
        if (operation.Operation == OperationType.Subscription)
        {
            return Failed(new JsonObject
            {
                ["message"] = "Schema is not configured for subscriptions",
                ["locations"] = lines.Locations(operation),
                ["path"] = new JsonArray(RubyPathIndex.OperationLabel(operation)),
                ["extensions"] = new JsonObject { ["code"] = "missingSubscriptionConfiguration" },
            });
        }
        var errors = GitHubValidator.Validate(document, operation, request.Variables, lines);
        if (errors.Count > 0) return new PreparedQuery(errors, default, false);
        var variables = QueryValues.WithDefaults(operation, request.Variables);
        var cost = new CostAnalyzer(document, operation, variables, lines);
        return new PreparedQuery(cost.Errors, cost.Cost, cost.DryRun)
        {
            Document = document,
            Operation = operation,
            Variables = variables,
            Lines = lines,
        };
    }

    public ExecutionResult Execute(QueryPlan plan, ExecutionContext context)
    {
        if (plan is not PreparedQuery { Document: not null, Operation: not null, Lines: not null } prepared || prepared.Errors.Count > 0)
            throw new ArgumentException("Only a plan from Prepare without errors can be executed.", nameof(plan));
        _store.Lock.EnterReadLock();
        try
        {
            return new Executor(_store, prepared, context).Run();
        }
        finally
        {
            _store.Lock.ExitReadLock();
        }
    }

    private static PreparedQuery Failed(JsonObject error) => new([error], default, false);
}
