using System.Globalization;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.GraphQL.Execution;
using Pulse.GitHubSimulator.GraphQL.Schema;
using Pulse.GitHubSimulator.GraphQL.Validation;

namespace Pulse.GitHubSimulator.GraphQL.Cost;

/// <summary>
/// GitHub's connection rules and cost rule over a valid operation (with @skip/@include and
/// variables applied): every connection needs first/last in 1..100 unless it selects only
/// totalCount; each connection costs one request per possible parent; possible nodes are the
/// sum of parents × page size and may not exceed 500,000; points = round(requests / 100), at least 1.
/// </summary>
internal sealed class CostAnalyzer
{
    public const long NodeLimit = 500_000;
    public const int MaxPage = 100;

    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments;
    private readonly JsonObject _variables;
    private readonly LineMap _lines;
    private readonly string _root;
    private long _requests;
    private long _nodes;
    private bool _nodeLimitReported;

    // The response path of the field being visited, pushed and popped (errors copy it; most queries have none).
    private readonly List<string> _path = [];

    public CostAnalyzer(GraphQLDocument document, GraphQLOperationDefinition operation, JsonObject variables, LineMap lines)
    {
        _fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => (string)f.FragmentName.Name.Value).ToDictionary(g => g.Key, g => g.First());
        _variables = variables;
        _lines = lines;
        _root = RubyPathIndex.OperationLabel(operation);
        var rootType = operation.Operation == OperationType.Mutation ? "Mutation" : "Query";
        _path.Add(_root);
        Walk(operation.SelectionSet, rootType, 1);
    }

    public List<JsonObject> Errors { get; } = [];

    public bool DryRun { get; private set; }

    public QueryCost Cost => new(_requests, Points(_requests), _nodes);

    /// <summary>round(requests / 100), halves up, at least 1.</summary>
    public static int Points(long requests) => (int)Math.Max(1, (requests + 50) / 100);

    private void Walk(GraphQLSelectionSet? set, string typeName, long parents)
    {
        if (set is null) return;
        foreach (var selection in set.Selections)
        {
            if (!QueryValues.Included((IHasDirectivesNode)selection, _variables)) continue;
            switch (selection)
            {
                case GraphQLField field:
                    _path.Add(field.Alias is { } a ? (string)a.Name.Value : (string)field.Name.Value);
                    try { VisitField(field, typeName, parents); }
                    finally { _path.RemoveAt(_path.Count - 1); }
                    break;
                case GraphQLInlineFragment inline:
                    Walk(inline.SelectionSet, inline.TypeCondition?.Type.Name.StringValue ?? typeName, parents);
                    break;
                case GraphQLFragmentSpread spread when _fragments.TryGetValue((string)spread.FragmentName.Name.Value, out var fragment):
                    Walk(fragment.SelectionSet, fragment.TypeCondition.Type.Name.StringValue, parents);
                    break;
            }
        }
    }

    /// <summary>Visits a field whose response key is already on <see cref="_path"/>.</summary>
    private void VisitField(GraphQLField field, string typeName, long parents)
    {
        var name = (string)field.Name.Value;
        var definition = GitHubTypes.Field(typeName, name);
        if (definition is null) return;
        var fieldType = GitHubTypes.Unwrap(definition.ResolvedType!).Name;
        if (typeName == "Query" && name == "rateLimit")
        {
            DryRun |= QueryValues.Argument(field, "dryRun", _variables) is JsonValue v && v.TryGetValue<bool>(out var dry) && dry;
            return;
        }
        if (typeName == "Query" && name == "nodes")
        {
            var ids = QueryValues.Argument(field, "ids", _variables) as JsonArray;
            Walk(field.SelectionSet, fieldType, parents * Math.Max(1, ids?.Count ?? 1));
            return;
        }
        if (!GitHubTypes.IsConnection(definition))
        {
            Walk(field.SelectionSet, fieldType, parents);
            return;
        }
        var first = QueryValues.IntArgument(field, "first", _variables);
        var last = QueryValues.IntArgument(field, "last", _variables);
        var size = first ?? last;
        if (size is { } given && !CheckBounds(field, name, first is not null ? "first" : "last", given)) return;
        if (OnlyTotalCount(field.SelectionSet)) return;
        if (size is not { } page)
        {
            Errors.Add(Error(field, "MISSING_PAGINATION_BOUNDARIES",
                $"You must provide a `first` or `last` value to properly paginate the `{name}` connection."));
            return;
        }
        _requests += parents;
        _nodes += parents * page;
        if (_nodes > NodeLimit && !_nodeLimitReported)
        {
            _nodeLimitReported = true;
            Errors.Add(Error(field, "MAX_NODE_LIMIT_EXCEEDED",
                $"By the time this query traverses to the `{name}` connection, it is requesting up to {_nodes.ToString("N0", CultureInfo.InvariantCulture)} possible nodes which exceeds the maximum limit of {NodeLimit.ToString("N0", CultureInfo.InvariantCulture)}."));
        }
        Walk(field.SelectionSet, fieldType, parents * page);
    }

    private bool CheckBounds(GraphQLField field, string name, string argument, long value)
    {
        if (value > MaxPage)
        {
            Errors.Add(Error(field, "EXCESSIVE_PAGINATION",
                $"Requesting {value} records on the `{name}` connection exceeds the `{argument}` limit of {MaxPage} records."));
            return false;
        }
        if (value < 1)
        {
            // graphql-ruby's wording for a negative page size; GitHub rejects 0 the same way.
            Errors.Add(Error(field, "INVALID_PAGINATION",
                $"`{argument}` on the `{name}` connection cannot be less than 1, received {value}."));
            return false;
        }
        return true;
    }

    /// <summary>GitHub lets a connection that selects only totalCount (and __typename) go without first/last, free.</summary>
    private bool OnlyTotalCount(GraphQLSelectionSet? set)
    {
        if (set is null) return true;
        foreach (var selection in set.Selections)
        {
            if (!QueryValues.Included((IHasDirectivesNode)selection, _variables)) continue;
            var ok = selection switch
            {
                GraphQLField f => f.Name.Value == "totalCount" || f.Name.Value == "__typename",
                GraphQLInlineFragment i => OnlyTotalCount(i.SelectionSet),
                GraphQLFragmentSpread s => _fragments.TryGetValue((string)s.FragmentName.Name.Value, out var d) && OnlyTotalCount(d.SelectionSet),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private JsonObject Error(GraphQLField field, string type, string message) => new()
    {
        ["type"] = type,
        ["path"] = new JsonArray(_path.Select(p => (JsonNode?)p).ToArray()),
        ["locations"] = _lines.Locations(field),
        ["message"] = message,
    };
}
