using System.Text.Json;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Validation;

/// <summary>Prints an argument literal the way graphql-ruby quotes it in error messages.</summary>
internal static class ValuePrinter
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Print(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => JsonSerializer.Serialize((string)s.Value, Relaxed),
        GraphQLIntValue i => (string)i.Value,
        GraphQLFloatValue f => (string)f.Value,
        GraphQLBooleanValue b => b.BoolValue ? "true" : "false",
        GraphQLNullValue => "null",
        GraphQLEnumValue e => (string)e.Name.Value,
        GraphQLVariable v => "$" + v.Name.Value,
        GraphQLListValue l => "[" + string.Join(", ", (l.Values ?? []).Select(Print)) + "]",
        GraphQLObjectValue o => "{" + string.Join(", ", (o.Fields ?? []).Select(f => $"{f.Name.Value}: {Print(f.Value)}")) + "}",
        _ => value.ToString() ?? "",
    };
}
