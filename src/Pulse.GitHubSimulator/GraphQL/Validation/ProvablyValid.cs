using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL.Types;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.GraphQL.Schema;

namespace Pulse.GitHubSimulator.GraphQL.Validation;

/// <summary>
/// A cheap proof that GraphQL.NET's rules and variable coercion would find nothing wrong, for the
/// plain documents clients send (one query, fields, arguments, fragments, String/ID/Int/Boolean
/// variables; no directives, defaults or lists of variables; a response name used twice only for the same
/// field). Invariant: true only when every rule provably passes; anything it does not fully check returns
/// false, and GraphQL.NET then validates and words the errors. It exists because GraphQL.NET's visitor costs about 14 ms per 100-unit query.
/// </summary>
internal sealed class ProvablyValid
{
    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (bool NonNull, string Type)> _variables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedVariables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldUse[]?> _fragmentKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FieldUse> _keys = new(StringComparer.Ordinal);

    private ProvablyValid() { }

    public static bool Check(GraphQLDocument document, JsonObject? variables) => new ProvablyValid().Run(document, variables);

    private bool Run(GraphQLDocument document, JsonObject? variables)
    {
        GraphQLOperationDefinition? operation = null;
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition op when operation is null:
                    operation = op;
                    break;
                case GraphQLFragmentDefinition fragment when fragment.Directives is null
                    && _fragments.TryAdd((string)fragment.FragmentName.Name.Value, fragment):
                    break;
                default:
                    return false;
            }
        }
        if (operation is not { Operation: OperationType.Query, Directives: null }) return false;
        if (!DefineVariables(operation) || !Coerces(variables)) return false;
        if (!AllFragmentsReachableWithoutCycles(operation)) return false;
        foreach (var fragment in _fragments.Values)
        {
            var condition = (string)fragment.TypeCondition.Type.Name.Value;
            if (!IsComposite(condition) || !SelectionSet(fragment.SelectionSet, condition)) return false;
        }
        return SelectionSet(operation.SelectionSet, "Query") && _usedVariables.Count == _variables.Count;
    }

    private bool DefineVariables(GraphQLOperationDefinition operation)
    {
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            if (definition.DefaultValue is not null || definition.Directives is not null) return false;
            var (nonNull, inner) = definition.Type is GraphQLNonNullType nn ? (true, nn.Type) : (false, definition.Type);
            if (inner is not GraphQLNamedType named || !IsPlainScalar((string)named.Name.Value)) return false;
            if (!_variables.TryAdd((string)definition.Variable.Name.Value, (nonNull, (string)named.Name.Value))) return false;
        }
        return true;
    }

    /// <summary>Every given value coerces to its variable's type, every non-null variable is given, and nothing else is given.</summary>
    private bool Coerces(JsonObject? given)
    {
        foreach (var (name, value) in given ?? [])
            if (!_variables.ContainsKey(name)) return false;
        foreach (var (name, (nonNull, type)) in _variables)
        {
            var value = given?[name];
            if (value is null)
            {
                if (nonNull) return false;
                continue;
            }
            if (value is not JsonValue v) return false;
            var ok = (type, v.GetValueKind()) switch
            {
                ("String" or "ID", JsonValueKind.String) => true,
                ("Int", JsonValueKind.Number) => v.TryGetValue<int>(out _),
                ("Boolean", JsonValueKind.True or JsonValueKind.False) => true,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private bool AllFragmentsReachableWithoutCycles(GraphQLOperationDefinition operation)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        bool Visit(GraphQLSelectionSet set)
        {
            foreach (var selection in set.Selections)
            {
                var ok = selection switch
                {
                    GraphQLField f => f.SelectionSet is null || Visit(f.SelectionSet),
                    GraphQLInlineFragment i => Visit(i.SelectionSet),
                    GraphQLFragmentSpread s => Enter((string)s.FragmentName.Name.Value),
                    _ => false,
                };
                if (!ok) return false;
            }
            return true;
        }
        bool Enter(string name)
        {
            if (!_fragments.TryGetValue(name, out var fragment) || onPath.Contains(name)) return false;
            if (!done.Add(name)) return true;
            onPath.Add(name);
            var ok = Visit(fragment.SelectionSet);
            onPath.Remove(name);
            return ok;
        }
        return Visit(operation.SelectionSet) && done.Count == _fragments.Count;
    }

    /// <summary>
    /// Checks each selection against <paramref name="typeName"/>. No two fields under one response name can conflict: a name
    /// is used once across the set and all fragments it spreads, or every use is the same field (<see cref="SameField"/>).
    /// </summary>
    private bool SelectionSet(GraphQLSelectionSet set, string typeName)
    {
        _keys.Clear();
        if (!AddKeys(set, typeName)) return false;
        foreach (var selection in set.Selections)
        {
            var ok = selection switch
            {
                GraphQLField field => Field(field, typeName),
                GraphQLInlineFragment inline => inline.Directives is null && InlineFragment(inline, typeName),
                GraphQLFragmentSpread spread => spread.Directives is null
                    && Overlaps(typeName, (string)_fragments[(string)spread.FragmentName.Name.Value].TypeCondition.Type.Name.Value),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private bool InlineFragment(GraphQLInlineFragment inline, string typeName)
    {
        if (inline.TypeCondition is null) return SelectionSet(inline.SelectionSet, typeName);
        var condition = (string)inline.TypeCondition.Type.Name.Value;
        return IsComposite(condition) && Overlaps(typeName, condition) && SelectionSet(inline.SelectionSet, condition);
    }

    /// <summary>Adds the response keys of <paramref name="set"/> (through inline fragments and spreads) to <see cref="_keys"/>; false on a repeat that is not the same field.</summary>
    private bool AddKeys(GraphQLSelectionSet set, string parent)
    {
        foreach (var selection in set.Selections)
        {
            var ok = selection switch
            {
                GraphQLField field => AddKey(new FieldUse(Key(field), field, parent)),
                GraphQLInlineFragment inline => AddKeys(inline.SelectionSet, Condition(inline, parent)),
                GraphQLFragmentSpread spread => FragmentKeys((string)spread.FragmentName.Name.Value) is { } uses && uses.All(AddKey),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private bool AddKey(FieldUse use) => _keys.TryAdd(use.Key, use) || SameField(_keys[use.Key], use);

    /// <summary>The fields a selection set contributes, through inline fragments and spreads, each with its parent type; null when unknown.</summary>
    private List<FieldUse>? FieldUses(GraphQLSelectionSet set, string parent)
    {
        var uses = new List<FieldUse>();
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    uses.Add(new FieldUse(Key(field), field, parent));
                    break;
                case GraphQLInlineFragment inline:
                    if (FieldUses(inline.SelectionSet, Condition(inline, parent)) is not { } inner) return null;
                    uses.AddRange(inner);
                    break;
                case GraphQLFragmentSpread spread:
                    if (FragmentKeys((string)spread.FragmentName.Name.Value) is not { } spreadUses) return null;
                    uses.AddRange(spreadUses);
                    break;
                default:
                    return null;
            }
        }
        return uses;
    }

    private FieldUse[]? FragmentKeys(string name)
    {
        if (_fragmentKeys.TryGetValue(name, out var uses)) return uses;
        uses = _fragments.TryGetValue(name, out var fragment)
            ? FieldUses(fragment.SelectionSet, (string)fragment.TypeCondition.Type.Name.Value)?.ToArray()
            : null;
        _fragmentKeys[name] = uses;
        return uses;
    }

    private static string Key(GraphQLField field) => field.Alias is { } a ? (string)a.Name.Value : (string)field.Name.Value;

    private static string Condition(GraphQLInlineFragment inline, string parent) =>
        inline.TypeCondition is { } condition ? (string)condition.Type.Name.Value : parent;

    /// <summary>
    /// Two uses of one response name that can always merge (spec FieldsInSetCanMerge): the same field name, neither with
    /// arguments or directives, the same type on both parents (so the same response shape), and selection sets written
    /// alike, so merging them adds no pair of fields that a set on its own does not already hold.
    /// </summary>
    private static bool SameField(FieldUse first, FieldUse other)
    {
        var (a, b) = (first.Field, other.Field);
        if (a.Name.Value != b.Name.Value || a.Arguments is not null || b.Arguments is not null || a.Directives is not null || b.Directives is not null)
            return false;
        if (!SameSelections(a.SelectionSet, b.SelectionSet)) return false;
        var name = (string)a.Name.Value;
        if (name == "__typename") return true;
        return GitHubTypes.Field(first.Parent, name) is { } x && GitHubTypes.Field(other.Parent, name) is { } y && SameType(x.ResolvedType!, y.ResolvedType!);
    }

    private static bool SameType(IGraphType a, IGraphType b) => (a, b) switch
    {
        (NonNullGraphType x, NonNullGraphType y) => SameType(x.ResolvedType!, y.ResolvedType!),
        (ListGraphType x, ListGraphType y) => SameType(x.ResolvedType!, y.ResolvedType!),
        (NonNullGraphType or ListGraphType, _) or (_, NonNullGraphType or ListGraphType) => false,
        _ => a.Name == b.Name,
    };

    /// <summary>Selection sets written alike: the same selections in the same order, without arguments or directives.</summary>
    private static bool SameSelections(GraphQLSelectionSet? a, GraphQLSelectionSet? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a.Selections.Count != b.Selections.Count) return false;
        for (var i = 0; i < a.Selections.Count; i++)
        {
            var same = (a.Selections[i], b.Selections[i]) switch
            {
                (GraphQLField x, GraphQLField y) => Key(x) == Key(y) && x.Name.Value == y.Name.Value
                    && x.Arguments is null && y.Arguments is null && x.Directives is null && y.Directives is null
                    && SameSelections(x.SelectionSet, y.SelectionSet),
                (GraphQLInlineFragment x, GraphQLInlineFragment y) => x.Directives is null && y.Directives is null
                    && x.TypeCondition?.Type.Name.StringValue == y.TypeCondition?.Type.Name.StringValue
                    && SameSelections(x.SelectionSet, y.SelectionSet),
                (GraphQLFragmentSpread x, GraphQLFragmentSpread y) => x.Directives is null && y.Directives is null
                    && x.FragmentName.Name.Value == y.FragmentName.Name.Value,
                _ => false,
            };
            if (!same) return false;
        }
        return true;
    }

    /// <summary>A field under a response name, with the type it is selected on.</summary>
    private sealed record FieldUse(string Key, GraphQLField Field, string Parent);

    private bool Field(GraphQLField field, string typeName)
    {
        if (field.Directives is not null) return false;
        var name = (string)field.Name.Value;
        if (name == "__typename") return field.Arguments is null && field.SelectionSet is null;
        if (GitHubTypes.Field(typeName, name) is not { } definition) return false;
        if (!Arguments(field, definition)) return false;
        var type = GitHubTypes.Unwrap(definition.ResolvedType!);
        return type switch
        {
            ScalarGraphType or EnumerationGraphType => field.SelectionSet is null,
            IComplexGraphType or IAbstractGraphType => field.SelectionSet is not null && SelectionSet(field.SelectionSet, type.Name),
            _ => false,
        };
    }

    /// <summary>Known, unique arguments with values of the right type, and every required argument given.</summary>
    private bool Arguments(GraphQLField field, FieldType definition)
    {
        var given = field.Arguments?.Items ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            var name = given[i].Name.Value;
            for (var j = 0; j < i; j++)
                if (given[j].Name.Value == name) return false;
            if (definition.Arguments?.Find((string)name) is not { } declared) return false;
            if (!ArgumentValue(given[i].Value, declared.ResolvedType!)) return false;
        }
        // Stricter than the rule (a non-null argument with a default may be omitted there), never looser.
        foreach (var declared in definition.Arguments ?? (IEnumerable<QueryArgument>)[])
            if (declared.ResolvedType is NonNullGraphType && !given.Any(a => a.Name.Value == declared.Name)) return false;
        return true;
    }

    /// <summary>A variable used directly as an argument, in a position its declared type may fill.</summary>
    private bool ArgumentValue(GraphQLValue value, IGraphType type)
    {
        if (value is not GraphQLVariable variable) return Literal(value, type);
        var name = (string)variable.Name.Value;
        if (!_variables.TryGetValue(name, out var declared)) return false;
        _usedVariables.Add(name);
        var (positionNonNull, inner) = type is NonNullGraphType nn ? (true, nn.ResolvedType!) : (false, type);
        return inner is ScalarGraphType && inner.Name == declared.Type && (declared.NonNull || !positionNonNull);
    }

    private static bool Literal(GraphQLValue value, IGraphType type)
    {
        if (type is NonNullGraphType nonNull) return value is not GraphQLNullValue && Literal(value, nonNull.ResolvedType!);
        return (type, value) switch
        {
            (IntGraphType, GraphQLIntValue i) => i.Value.Length <= 9,
            (StringGraphType or IdGraphType, GraphQLStringValue) => true,
            (BooleanGraphType, GraphQLBooleanValue) => true,
            (EnumerationGraphType e, GraphQLEnumValue v) => e.Values.FindByName((string)v.Name.Value) is not null,
            (ListGraphType list, GraphQLListValue items) => (items.Values ?? []).All(item => Literal(item, list.ResolvedType!)),
            (IInputObjectGraphType input, GraphQLObjectValue obj) => InputObject(input, obj),
            _ => false,
        };
    }

    private static bool InputObject(IInputObjectGraphType input, GraphQLObjectValue obj)
    {
        if (input.IsOneOf) return false;
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in obj.Fields ?? [])
        {
            var name = (string)field.Name.Value;
            if (!given.Add(name) || input.GetField(name) is not { } declared || !Literal(field.Value, declared.ResolvedType!)) return false;
        }
        foreach (var declared in input.Fields)
            if (declared.ResolvedType is NonNullGraphType && !given.Contains(declared.Name)) return false;
        return true;
    }

    private static bool IsPlainScalar(string name) => name is "String" or "ID" or "Int" or "Boolean"
        && GitHubTypes.Named(name) is StringGraphType or IdGraphType or IntGraphType or BooleanGraphType;

    private static bool IsComposite(string name) => GitHubTypes.Named(name) is IObjectGraphType or IAbstractGraphType;

    /// <summary>Spec PossibleFragmentSpreads: some object type is both a possible <paramref name="parent"/> and a possible <paramref name="condition"/>.</summary>
    private static bool Overlaps(string parent, string condition)
    {
        if (parent == condition) return true;
        return (GitHubTypes.Named(parent), GitHubTypes.Named(condition)) switch
        {
            (IObjectGraphType, IAbstractGraphType c) => c.PossibleTypes.Any(t => t.Name == parent),
            (IAbstractGraphType p, IObjectGraphType) => p.PossibleTypes.Any(t => t.Name == condition),
            (IAbstractGraphType p, IAbstractGraphType c) => p.PossibleTypes.Any(t => c.PossibleTypes.Any(u => u.Name == t.Name)),
            _ => false,
        };
    }
}
