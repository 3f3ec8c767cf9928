using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.GraphQL.Schema;

namespace Pulse.GitHubSimulator.GraphQL.Validation;

/// <summary>
/// Runs GraphQL.NET's 27 spec rules against GitHub's schema and rewrites the errors into
/// graphql-ruby's wording and shape, which is what GitHub clients see and sometimes match on.
/// </summary>
internal static class GitHubValidator
{
    private static readonly DocumentValidator Validator = new();

    public static IReadOnlyList<JsonObject> Validate(
        GraphQLDocument document, GraphQLOperationDefinition operation, JsonObject? variables, LineMap lines)
    {
        if (ProvablyValid.Check(document, variables)) return [];
        return ValidateFully(document, operation, variables, lines);
    }

    /// <summary>GraphQL.NET's rules alone, without the fast proof: what the proof is held to.</summary>
    internal static IReadOnlyList<JsonObject> ValidateFully(
        GraphQLDocument document, GraphQLOperationDefinition operation, JsonObject? variables, LineMap lines)
    {
        var result = Validator.ValidateAsync(new ValidationOptions
        {
            Schema = GitHubSchema.Instance,
            Document = document,
            Operation = operation,
            Rules = DocumentValidator.CoreRules,
            Variables = ToInputs(variables),
        }).GetAwaiter().GetResult();
        if (result.IsValid) return [];
        var translator = new ErrorTranslator(new RubyPathIndex(document), lines);
        return translator.Translate(result.Errors.OfType<ValidationError>().ToList());
    }

    private static Inputs ToInputs(JsonObject? variables)
    {
        if (variables is null) return Inputs.Empty;
        var dict = new Dictionary<string, object?>();
        foreach (var (k, v) in variables) dict[k] = ToObject(v);
        return new Inputs(dict);
    }

    private static object? ToObject(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToObject(p.Value)),
        JsonArray a => a.Select(ToObject).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };
}
