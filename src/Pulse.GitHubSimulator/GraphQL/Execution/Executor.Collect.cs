using GraphQLParser.AST;
using Pulse.GitHubSimulator.GraphQL.Schema;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

internal sealed partial class Executor
{
    /// <summary>Fields grouped by response key, in order, with fragments applied for <paramref name="typeName"/> (spec CollectFields).</summary>
    private List<(string Key, List<GraphQLField> Fields)> CollectFields(string typeName, IReadOnlyList<GraphQLSelectionSet> sets)
    {
        var groups = new List<(string Key, List<GraphQLField> Fields)>();
        var index = new Dictionary<string, int>();
        void Collect(GraphQLSelectionSet set)
        {
            foreach (var selection in set.Selections)
            {
                if (!QueryValues.Included((IHasDirectivesNode)selection, _plan.Variables)) continue;
                switch (selection)
                {
                    case GraphQLField field:
                        var key = field.Alias is { } a ? (string)a.Name.Value : (string)field.Name.Value;
                        if (index.TryGetValue(key, out var at)) groups[at].Fields.Add(field);
                        else { index[key] = groups.Count; groups.Add((key, [field])); }
                        break;
                    case GraphQLInlineFragment inline:
                        if (inline.TypeCondition is null || GitHubTypes.Matches(typeName, inline.TypeCondition.Type.Name.StringValue))
                            Collect(inline.SelectionSet);
                        break;
                    case GraphQLFragmentSpread spread:
                        if (_fragments.TryGetValue((string)spread.FragmentName.Name.Value, out var fragment)
                            && GitHubTypes.Matches(typeName, fragment.TypeCondition.Type.Name.StringValue))
                            Collect(fragment.SelectionSet);
                        break;
                }
            }
        }
        foreach (var set in sets) Collect(set);
        return groups;
    }
}
