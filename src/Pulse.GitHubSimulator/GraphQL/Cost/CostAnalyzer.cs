using System.Globalization;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.GraphQL.Execution;
using Pulse.GitHubSimulator.GraphQL.Schema;
using Pulse.GitHubSimulator.GraphQL.Validation;

namespace Pulse.GitHubSimulator.GraphQL.Cost;

/// <summary>
/// GitHub's connection rules and cost rule over a valid operation (with @skip/@include and
/// variables applied): every connection needs first or last unless it selects only totalCount
/// (then it is free); each connection given first/last costs one request per possible parent,
/// whatever it selects; possible nodes are the sum of parents × page size and may not exceed
/// 500,000; points = round(requests / 100), at least 1, except that a query of rateLimit alone
/// is free. Page sizes out of range are execution errors (<see cref="PageSizes"/>), counted here
/// at the most GitHub would load.
/// </summary>
internal sealed class CostAnalyzer
{
    public const long NodeLimit = 500_000;

    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments;
    private readonly JsonObject _variables;
    private readonly LineMap _lines;
    private readonly string _root;
    private readonly bool _onlyRateLimit;
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
        _onlyRateLimit = operation.Operation == OperationType.Query && OnlyRateLimit(operation.SelectionSet);
        Walk(operation.SelectionSet, rootType, 1);
    }

    public List<JsonObject> Errors { get; } = [];

    public bool DryRun { get; private set; }

    public QueryCost Cost => new(_requests, _onlyRateLimit ? 0 : Points(_requests), _nodes);

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
        if ((first ?? last) is not { } size)
        {
            if (OnlyTotalCount(field.SelectionSet)) return;
            Errors.Add(Error(field, "MISSING_PAGINATION_BOUNDARIES",
                $"You must provide a `first` or `last` value to properly paginate the `{name}` connection."));
            return;
        }
        var page = Math.Clamp(size, 0, PageSizes.Max);
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

    /// <summary>True when the operation asks only for rateLimit (and __typename): GitHub charges nothing for it.</summary>
    private bool OnlyRateLimit(GraphQLSelectionSet set) => set.Selections.All(selection => selection switch
    {
        GraphQLField f => f.Name.Value == "rateLimit" || f.Name.Value == "__typename" || !QueryValues.Included(f, _variables),
        GraphQLInlineFragment i => OnlyRateLimit(i.SelectionSet),
        GraphQLFragmentSpread sp => _fragments.TryGetValue((string)sp.FragmentName.Name.Value, out var d) && OnlyRateLimit(d.SelectionSet),
        _ => false,
    });

    private JsonObject Error(GraphQLField field, string type, string message) => new()
    {
        ["type"] = type,
        ["path"] = new JsonArray(_path.Select(p => (JsonNode?)p).ToArray()),
        ["locations"] = _lines.Locations(field),
        ["message"] = message,
    };
}
