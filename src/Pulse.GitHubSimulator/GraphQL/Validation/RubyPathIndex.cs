using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Validation;

/// <summary>
/// Where each AST node sits, as graphql-ruby names it in an error's "path": the operation as
/// "query" or "query Name", fields by alias or name, "... on Type", "... Fragment", "fragment Name",
/// then argument names. Also remembers the field and argument around a node.
/// </summary>
internal sealed class RubyPathIndex
{
    public sealed record Entry(IReadOnlyList<string> Path, string? FieldName, string? ArgumentName, string Operation, NodeRole Role);

    public enum NodeRole { Other, FragmentCondition, VariableType }

    private readonly Dictionary<ASTNode, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, string> _variableArguments = [];

    public RubyPathIndex(GraphQLDocument document)
    {
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition op:
                    var root = OperationLabel(op);
                    var name = op.Name is { } n ? (string)n.Value : "anonymous " + Kind(op);
                    Add(op, [root], null, null, name);
                    foreach (var v in op.Variables?.Items ?? [])
                    {
                        Add(v, [root], null, null, name);
                        Add(v.Variable, [root], null, null, name);
                        foreach (var t in NamedTypes(v.Type)) Add(t, [root], null, (string)v.Variable.Name.Value, name, NodeRole.VariableType);
                    }
                    Visit(op.SelectionSet, [root], null, name);
                    break;
                case GraphQLFragmentDefinition fragment:
                    var label = "fragment " + fragment.FragmentName.Name.Value;
                    Add(fragment, [label], null, null, label);
                    Add(fragment.TypeCondition.Type, [label], null, null, label, NodeRole.FragmentCondition);
                    Visit(fragment.SelectionSet, [label], null, label);
                    break;
            }
        }
    }

    public Entry? Find(ASTNode node) => _entries.GetValueOrDefault(node);

    /// <summary>The first argument that takes <c>$variable</c>.</summary>
    public string? ArgumentUsing(string variable) => _variableArguments.GetValueOrDefault(variable);

    public static string OperationLabel(GraphQLOperationDefinition op) =>
        op.Name is { } n ? Kind(op) + " " + n.Value : Kind(op);

    private static string Kind(GraphQLOperationDefinition op) => op.Operation.ToString().ToLowerInvariant();

    private void Visit(GraphQLSelectionSet? set, List<string> path, string? field, string op)
    {
        foreach (var selection in set?.Selections ?? [])
        {
            switch (selection)
            {
                case GraphQLField f:
                    var name = (string)f.Name.Value;
                    List<string> fieldPath = [.. path, f.Alias is { } a ? (string)a.Name.Value : name];
                    Add(f, fieldPath, name, null, op);
                    foreach (var arg in f.Arguments?.Items ?? [])
                    {
                        var argName = (string)arg.Name.Value;
                        List<string> argPath = [.. fieldPath, argName];
                        Add(arg, argPath, name, argName, op);
                        AddValues(arg.Value, argPath, name, argName, op);
                    }
                    AddDirectives(f, fieldPath, name, op);
                    Visit(f.SelectionSet, fieldPath, name, op);
                    break;
                case GraphQLInlineFragment inline:
                    List<string> inlinePath = [.. path, inline.TypeCondition is { } tc ? "... on " + tc.Type.Name.Value : "..."];
                    Add(inline, inlinePath, field, null, op);
                    if (inline.TypeCondition is { } cond) Add(cond.Type, inlinePath, field, null, op, NodeRole.FragmentCondition);
                    AddDirectives(inline, inlinePath, field, op);
                    Visit(inline.SelectionSet, inlinePath, field, op);
                    break;
                case GraphQLFragmentSpread spread:
                    List<string> spreadPath = [.. path, "... " + spread.FragmentName.Name.Value];
                    Add(spread, spreadPath, field, null, op);
                    Add(spread.FragmentName, spreadPath, field, null, op);
                    AddDirectives(spread, spreadPath, field, op);
                    break;
            }
        }
    }

    private void AddDirectives(IHasDirectivesNode node, List<string> path, string? field, string op)
    {
        foreach (var d in node.Directives?.Items ?? [])
            foreach (var arg in d.Arguments?.Items ?? [])
            {
                Add(arg, path, field, (string)arg.Name.Value, op);
                AddValues(arg.Value, path, field, (string)arg.Name.Value, op);
            }
    }

    private void AddValues(GraphQLValue value, List<string> path, string? field, string arg, string op)
    {
        Add(value, path, field, arg, op);
        switch (value)
        {
            case GraphQLVariable variable:
                _variableArguments.TryAdd((string)variable.Name.Value, arg);
                break;
            case GraphQLListValue list:
                foreach (var v in list.Values ?? []) AddValues(v, path, field, arg, op);
                break;
            case GraphQLObjectValue obj:
                foreach (var f in obj.Fields ?? []) { Add(f, path, field, arg, op); AddValues(f.Value, path, field, arg, op); }
                break;
        }
    }

    private static IEnumerable<GraphQLNamedType> NamedTypes(GraphQLType type) => type switch
    {
        GraphQLNamedType n => [n],
        GraphQLListType l => NamedTypes(l.Type),
        GraphQLNonNullType nn => NamedTypes(nn.Type),
        _ => [],
    };

    private void Add(ASTNode node, List<string> path, string? field, string? arg, string op, NodeRole role = NodeRole.Other) =>
        _entries.TryAdd(node, new Entry(path, field, arg, op, role));
}
