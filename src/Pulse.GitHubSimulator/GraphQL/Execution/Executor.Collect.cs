using GraphQL.Types;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.GraphQL.Schema;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

internal sealed partial class Executor
{
    /// <summary>
    /// The fields under <paramref name="field"/> for an object of <paramref name="typeName"/>. Collection depends only on
    /// the selection sets, the type and the request's variables (@skip/@include), all fixed for one execution, and
    /// every object of a list asks again: each field keeps what it collected, by type (most see one type only).
    /// </summary>
    private List<CollectedField> Children(CollectedField field, string typeName)
    {
        if (field.ChildType == typeName) return field.Children!;
        if (field.ChildType is null)
        {
            field.Children = Shared(typeName, field.SubSelections);
            field.ChildType = typeName;
            return field.Children;
        }
        field.OtherChildren ??= new(StringComparer.Ordinal);
        if (!field.OtherChildren.TryGetValue(typeName, out var children))
            field.OtherChildren[typeName] = children = Shared(typeName, field.SubSelections);
        return children;
    }

    /// <summary>
    /// One selection set's fields for a type, collected once per execution: units that spread one fragment reach the same
    /// sets inside it, so everything below a fragment is collected once per answer instead of once per unit.
    /// </summary>
    private List<CollectedField> Shared(string typeName, List<GraphQLSelectionSet> sets)
    {
        if (sets.Count != 1) return CollectFields(typeName, sets);
        var key = new SetOfType(sets[0], typeName);
        if (!_collected.TryGetValue(key, out var children)) _collected[key] = children = CollectFields(typeName, sets);
        return children;
    }

    /// <summary>A selection set (by identity: the same node of the document) collected for a type.</summary>
    private readonly record struct SetOfType(GraphQLSelectionSet Set, string Type) : IEquatable<SetOfType>
    {
        public bool Equals(SetOfType other) => ReferenceEquals(Set, other.Set) && string.Equals(Type, other.Type, StringComparison.Ordinal);

        public override int GetHashCode() => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Set), StringComparer.Ordinal.GetHashCode(Type));
    }

    /// <summary>Fields grouped by response key, in order, with fragments applied for <paramref name="typeName"/> (spec CollectFields).</summary>
    private List<CollectedField> CollectFields(string typeName, IReadOnlyList<GraphQLSelectionSet> sets)
    {
        var groups = new List<(string Key, List<GraphQLField> Fields)>();
        foreach (var set in sets) Collect(typeName, set, groups);
        return groups.ConvertAll(g =>
        {
            var name = (string)g.Fields[0].Name.Value;
            return new CollectedField(g.Key, name, g.Fields, name == "__typename" ? null : GitHubTypes.Field(typeName, name));
        });
    }

    private void Collect(string typeName, GraphQLSelectionSet set, List<(string Key, List<GraphQLField> Fields)> groups)
    {
        foreach (var selection in set.Selections)
        {
            if (!QueryValues.Included((IHasDirectivesNode)selection, _plan.Variables)) continue;
            switch (selection)
            {
                case GraphQLField field:
                    var key = field.Alias is { } a ? (string)a.Name.Value : (string)field.Name.Value;
                    // Sets hold tens of keys: a scan is cheaper than a dictionary per collection.
                    var at = 0;
                    while (at < groups.Count && groups[at].Key != key) at++;
                    if (at < groups.Count) groups[at].Fields.Add(field);
                    else groups.Add((key, [field]));
                    break;
                case GraphQLInlineFragment inline:
                    if (inline.TypeCondition is null || GitHubTypes.Matches(typeName, inline.TypeCondition.Type.Name.StringValue))
                        Collect(typeName, inline.SelectionSet, groups);
                    break;
                case GraphQLFragmentSpread spread:
                    if (_fragments.TryGetValue((string)spread.FragmentName.Name.Value, out var fragment)
                        && GitHubTypes.Matches(typeName, fragment.TypeCondition.Type.Name.StringValue))
                        Collect(typeName, fragment.SelectionSet, groups);
                    break;
            }
        }
    }

    /// <summary>One response key: its field name, the fields merged under it, and its definition on the collected type (null when unknown or __typename).</summary>
    private sealed record CollectedField(string Key, string Name, List<GraphQLField> Fields, FieldType? Definition)
    {
        /// <summary>The selection sets under the merged fields, in order (spec MergeSelectionSets).</summary>
        public List<GraphQLSelectionSet> SubSelections { get; } = [.. Fields.Where(f => f.SelectionSet is not null).Select(f => f.SelectionSet!)];

        public string? ChildType { get; set; }
        public List<CollectedField>? Children { get; set; }
        public Dictionary<string, List<CollectedField>>? OtherChildren { get; set; }
    }
}
