using System.Collections.Concurrent;
using GraphQL.Types;

namespace Pulse.GitHubSimulator.GraphQL.Schema;

/// <summary>
/// Type lookups over the shared schema for the cost walk and the executor. The schema never changes once built, so a
/// field's lookup is remembered: GraphQL.NET searches a type's field list in order, and a 1 MB answer looks up tens of
/// thousands of fields on types with a hundred or more.
/// </summary>
internal static class GitHubTypes
{
    private static readonly ConcurrentDictionary<(string Type, string Field), FieldType?> Fields = new();
    private static readonly ConcurrentDictionary<FieldType, bool> Connections = new(ReferenceEqualityComparer.Instance);

    public static IGraphType? Named(string name) => GitHubSchema.Instance.AllTypes[name];

    public static FieldType? Field(string typeName, string fieldName) =>
        Fields.GetOrAdd((typeName, fieldName), static key => Named(key.Type) is IComplexGraphType complex ? complex.GetField(key.Field) : null);

    public static IGraphType Unwrap(IGraphType type) => type switch
    {
        NonNullGraphType nn => Unwrap(nn.ResolvedType!),
        ListGraphType l => Unwrap(l.ResolvedType!),
        _ => type,
    };

    /// <summary>GitHub's connection types: a *Connection return type on a field taking first/last.</summary>
    public static bool IsConnection(FieldType field) => Connections.GetOrAdd(field, static f =>
        Unwrap(f.ResolvedType!).Name.EndsWith("Connection", StringComparison.Ordinal) && f.Arguments?.Find("first") is not null);

    public static bool IsAbstract(IGraphType type) => type is IAbstractGraphType;

    /// <summary>True when an object of <paramref name="typeName"/> matches a fragment on <paramref name="condition"/>.</summary>
    public static bool Matches(string typeName, string condition)
    {
        if (typeName == condition) return true;
        return Named(condition) is IAbstractGraphType abstractType
            && abstractType.PossibleTypes.Any(t => t.Name == typeName);
    }
}
