using GraphQL.Types;

namespace Pulse.GitHubSimulator.GraphQL.Schema;

/// <summary>Type lookups over the shared schema for the cost walk and the executor.</summary>
internal static class GitHubTypes
{
    public static IGraphType? Named(string name) => GitHubSchema.Instance.AllTypes[name];

    public static FieldType? Field(string typeName, string fieldName) =>
        Named(typeName) is IComplexGraphType complex ? complex.GetField(fieldName) : null;

    public static IGraphType Unwrap(IGraphType type) => type switch
    {
        NonNullGraphType nn => Unwrap(nn.ResolvedType!),
        ListGraphType l => Unwrap(l.ResolvedType!),
        _ => type,
    };

    /// <summary>GitHub's connection types: a *Connection return type on a field taking first/last.</summary>
    public static bool IsConnection(FieldType field) =>
        Unwrap(field.ResolvedType!).Name.EndsWith("Connection", StringComparison.Ordinal)
        && field.Arguments?.Find("first") is not null;

    public static bool IsAbstract(IGraphType type) => type is IAbstractGraphType;

    /// <summary>True when an object of <paramref name="typeName"/> matches a fragment on <paramref name="condition"/>.</summary>
    public static bool Matches(string typeName, string condition)
    {
        if (typeName == condition) return true;
        return Named(condition) is IAbstractGraphType abstractType
            && abstractType.PossibleTypes.Any(t => t.Name == typeName);
    }
}
