using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>Argument literals and variables as JSON values, and @skip/@include, shared by cost and execution.</summary>
internal static class QueryValues
{
    public static JsonNode? Evaluate(GraphQLValue? value, JsonObject variables) => value switch
    {
        null or GraphQLNullValue => null,
        GraphQLVariable v => variables[(string)v.Name.Value]?.DeepClone(),
        GraphQLIntValue i => JsonValue.Create(long.Parse((string)i.Value, System.Globalization.CultureInfo.InvariantCulture)),
        GraphQLFloatValue f => JsonValue.Create(double.Parse((string)f.Value, System.Globalization.CultureInfo.InvariantCulture)),
        GraphQLStringValue s => JsonValue.Create((string)s.Value),
        GraphQLBooleanValue b => JsonValue.Create(b.BoolValue),
        GraphQLEnumValue e => JsonValue.Create((string)e.Name.Value),
        GraphQLListValue l => new JsonArray((l.Values ?? []).Select(x => Evaluate(x, variables)).ToArray()),
        GraphQLObjectValue o => new JsonObject((o.Fields ?? []).Select(f =>
            KeyValuePair.Create((string)f.Name.Value, Evaluate(f.Value, variables)))),
        _ => null,
    };

    public static JsonNode? Argument(GraphQLField field, string name, JsonObject variables)
    {
        if (field.Arguments is null) return null;
        foreach (var arg in field.Arguments.Items)
            if (arg.Name.Value == name) return Evaluate(arg.Value, variables);
        return null;
    }

    public static long? IntArgument(GraphQLField field, string name, JsonObject variables) => AsLong(Argument(field, name, variables));

    /// <summary>A JSON number as long, whatever CLR type backs the node (parsed JSON or a boxed int).</summary>
    public static long? AsLong(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>False when @skip(if: true) or @include(if: false) removes the selection.</summary>
    public static bool Included(IHasDirectivesNode node, JsonObject variables)
    {
        if (node.Directives is null) return true;
        foreach (var d in node.Directives.Items)
        {
            var arg = d.Arguments?.Items.FirstOrDefault(a => a.Name.Value == "if");
            var on = Evaluate(arg?.Value, variables) is JsonValue v && v.TryGetValue<bool>(out var b) && b;
            if (d.Name.Value == "skip" && on) return false;
            if (d.Name.Value == "include" && !on) return false;
        }
        return true;
    }

    /// <summary>The request's variables with the operation's defaults filled in.</summary>
    public static JsonObject WithDefaults(GraphQLOperationDefinition operation, JsonObject? given)
    {
        var result = new JsonObject();
        foreach (var (k, v) in given ?? []) result[k] = v?.DeepClone();
        foreach (var def in operation.Variables?.Items ?? [])
        {
            var name = (string)def.Variable.Name.Value;
            if (!result.ContainsKey(name) && def.DefaultValue is not null) result[name] = Evaluate(def.DefaultValue, []);
        }
        return result;
    }
}
