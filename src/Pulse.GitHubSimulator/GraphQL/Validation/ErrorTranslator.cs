using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GraphQL.Validation;
using GraphQL.Validation.Errors;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Validation;

/// <summary>
/// GraphQL.NET validation errors in graphql-ruby's words (GitHub runs graphql-ruby):
/// {"message", "locations", "path", "extensions": {"code", ...}}. Errors without a ruby
/// counterpart keep GraphQL.NET's text in the same shape.
/// </summary>
internal sealed partial class ErrorTranslator(RubyPathIndex paths, LineMap lines)
{
    public IReadOnlyList<JsonObject> Translate(IReadOnlyList<ValidationError> errors)
    {
        var result = new List<JsonObject>();
        var missingArgs = new Dictionary<ASTNode, (JsonObject Error, List<string> Names)>(ReferenceEqualityComparer.Instance);
        foreach (var error in errors)
        {
            var nodes = error.Nodes?.ToList() ?? [];
            var node = nodes.FirstOrDefault();
            var message = error.Message;
            switch (error)
            {
                // GitHub accepts fields that differ only in return type (graphql-ruby only warns), not name or argument conflicts.
                case OverlappingFieldsCanBeMergedError when message.Contains("return conflicting types", StringComparison.Ordinal):
                    continue;
                case FieldsOnCorrectTypeError when Match(FieldRegex(), message) is [var field, var type]:
                    result.Add(Error(node, $"Field '{field}' doesn't exist on type '{type}'",
                        new() { ["code"] = "undefinedField", ["typeName"] = type, ["fieldName"] = field }));
                    break;
                case KnownArgumentNamesError when Match(ArgumentRegex(), message) is [var arg, var kind, var owner]:
                    var typeName = kind == "field" ? "Field" : "Directive";
                    result.Add(Error(node, $"{typeName} '{owner}' doesn't accept argument '{arg}'",
                        new() { ["code"] = "argumentNotAccepted", ["name"] = owner, ["typeName"] = typeName, ["argumentName"] = arg }));
                    break;
                case ProvidedNonNullArgumentsError when node is not null && Match(RequiredRegex(), message) is [var arg, var kind, var owner]:
                    if (missingArgs.TryGetValue(node, out var pending)) { pending.Names.Add(arg); break; }
                    var className = kind == "field" ? "Field" : "Directive";
                    var required = Error(node, "", new() { ["code"] = "missingRequiredArguments", ["className"] = className, ["name"] = owner });
                    missingArgs[node] = (required, [arg]);
                    result.Add(required);
                    break;
                case ArgumentsOfCorrectTypeError when node is GraphQLArgument argument && Match(ExpectedRegex(), message) is [var expected]:
                    var fieldName = paths.Find(argument)?.FieldName ?? "";
                    result.Add(Error(node, $"Argument '{argument.Name.Value}' on Field '{fieldName}' has an invalid value ({ValuePrinter.Print(argument.Value)}). Expected type '{expected}'.",
                        new() { ["code"] = "argumentLiteralsIncompatible", ["typeName"] = "Field", ["argumentName"] = (string)argument.Name.Value }));
                    break;
                case NoUndefinedVariablesError when Match(VariableRegex(), message) is [var name]:
                    var usage = nodes.OfType<GraphQLVariable>().FirstOrDefault() ?? node;
                    result.Add(Error(usage, $"Variable ${name} is used by {OperationName(usage)} but not declared",
                        new() { ["code"] = "variableNotDefined", ["variableName"] = name }));
                    break;
                case NoUnusedVariablesError when Match(VariableRegex(), message) is [var name]:
                    result.Add(Error(node, $"Variable ${name} is declared by {OperationName(node)} but not used",
                        new() { ["code"] = "variableNotUsed", ["variableName"] = name }));
                    break;
                case VariablesInAllowedPositionError when Match(MismatchRegex(), message) is [var name, var varType, var argType]:
                    var variable = nodes.OfType<GraphQLVariable>().LastOrDefault() ?? node;
                    var argName = (variable is null ? null : paths.Find(variable)?.ArgumentName) ?? paths.ArgumentUsing(name) ?? "";
                    result.Add(Error(variable, $"Type mismatch on variable ${name} and argument {argName} ({varType} / {argType})",
                        new() { ["code"] = "variableMismatch", ["variableName"] = name, ["typeName"] = varType, ["argumentName"] = argName, ["errorMessage"] = "Type mismatch" }));
                    break;
                case KnownTypeNamesError when Match(TypeRegex(), message) is [var type]:
                    var role = node is null ? RubyPathIndex.NodeRole.Other : paths.Find(node)?.Role;
                    if (role == RubyPathIndex.NodeRole.VariableType)
                    {
                        var varName = paths.Find(node!)?.ArgumentName ?? "";
                        result.Add(Error(node, $"{type} isn't a defined input type (on ${varName})",
                            new() { ["code"] = "variableRequiresValidType", ["typeName"] = type, ["variableName"] = varName }));
                    }
                    else
                    {
                        result.Add(Error(node, $"No such type {type}, so it can't be a fragment condition",
                            new() { ["code"] = "undefinedType", ["typeName"] = type }));
                    }
                    break;
                case KnownFragmentNamesError when Match(FragmentRegex(), message) is [var name]:
                    result.Add(Error(node, $"Fragment {name} was used, but not defined",
                        new() { ["code"] = "useAndDefineFragment", ["fragmentName"] = name }));
                    break;
                case NoUnusedFragmentsError when Match(FragmentRegex(), message) is [var name]:
                    result.Add(Error(node, $"Fragment {name} was defined, but not used",
                        new() { ["code"] = "useAndDefineFragment", ["fragmentName"] = name }));
                    break;
                default:
                    result.Add(Error(node, message, new() { ["code"] = error.Code ?? "validationError" }));
                    break;
            }
        }
        foreach (var (node, (error, names)) in missingArgs)
        {
            error["message"] = $"{error["extensions"]!["className"]} '{error["extensions"]!["name"]}' is missing required arguments: {string.Join(", ", names)}";
            error["extensions"]!["arguments"] = string.Join(", ", names);
        }
        return result;
    }

    private string OperationName(ASTNode? node) => node is null ? "anonymous query" : paths.Find(node)?.Operation ?? "anonymous query";

    private JsonObject Error(ASTNode? node, string message, JsonObject extensions)
    {
        var error = new JsonObject { ["message"] = message };
        if (node is not null)
        {
            error["locations"] = lines.Locations(node);
            if (paths.Find(node) is { } entry) error["path"] = new JsonArray(entry.Path.Select(p => (JsonNode?)p).ToArray());
        }
        error["extensions"] = extensions;
        return error;
    }

    private static string[]? Match(Regex regex, string message)
    {
        var m = regex.Match(message);
        return m.Success ? m.Groups.Values.Skip(1).Select(g => g.Value).ToArray() : null;
    }

    [GeneratedRegex("^Cannot query field '([^']+)' on type '([^']+)'")]
    private static partial Regex FieldRegex();

    [GeneratedRegex("^Unknown argument '([^']+)' on (field|directive) '([^']+)'")]
    private static partial Regex ArgumentRegex();

    [GeneratedRegex("^Argument '([^']+)' of type '[^']+' is required for (field|directive) '([^']+)'")]
    private static partial Regex RequiredRegex();

    [GeneratedRegex("Expected type '([^']+)'")]
    private static partial Regex ExpectedRegex();

    [GeneratedRegex(@"^Variable '\$([^']+)'")]
    private static partial Regex VariableRegex();

    [GeneratedRegex(@"^Variable '\$([^']+)' of type '([^']+)' used in position expecting type '([^']+)'")]
    private static partial Regex MismatchRegex();

    [GeneratedRegex("^Unknown type '?([^'.]+)")]
    private static partial Regex TypeRegex();

    [GeneratedRegex("^(?:Unknown fragment|Fragment) '([^']+)'")]
    private static partial Regex FragmentRegex();
}
