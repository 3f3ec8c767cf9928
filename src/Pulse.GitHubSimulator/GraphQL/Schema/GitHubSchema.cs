using System.Reflection;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Schema;

/// <summary>
/// GitHub's schema as a GraphQL.NET <see cref="ISchema"/>, built once per process: building takes
/// 300-400 ms and keeps about 11 MiB, and the schema is thread-safe, so every engine shares it.
/// </summary>
internal static class GitHubSchema
{
    private static readonly Lazy<ISchema> Shared = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static ISchema Instance => Shared.Value;

    private static ISchema Build()
    {
        var sdl = ReadSdl();
        ISchema? built = null;
        var schema = global::GraphQL.Types.Schema.For(sdl, b =>
            b.Types.ForAll(tc => tc.ResolveType = o => (IObjectGraphType)built!.AllTypes[TypeNameOf(o)]!));
        built = schema;
        // A `scalar X` line creates no type in GraphQL.NET; GitHub sends all of them as strings.
        foreach (var name in ScalarNames(sdl))
            schema.RegisterType(new StringLikeScalar(name));
        schema.Initialize();
        return schema;
    }

    // The executor resolves abstract types itself; validation never calls this.
    private static string TypeNameOf(object o) =>
        o is System.Text.Json.Nodes.JsonObject j && j["__typename"]?.GetValue<string>() is { } t ? t : "User";

    private static IEnumerable<string> ScalarNames(string sdl) =>
        sdl.Split('\n').Where(l => l.StartsWith("scalar ", StringComparison.Ordinal))
            .Select(l => l["scalar ".Length..].Trim());

    private static string ReadSdl()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("github-schema.graphql")
            ?? throw new InvalidOperationException("Embedded resource github-schema.graphql is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class StringLikeScalar : ScalarGraphType
    {
        public StringLikeScalar(string name) => Name = name;

        public override object? ParseLiteral(GraphQLValue value) => value switch
        {
            GraphQLStringValue s => (string)s.Value,
            GraphQLIntValue i => (string)i.Value,
            GraphQLNullValue => null,
            _ => ThrowLiteralConversionError(value),
        };

        public override object? ParseValue(object? value) => value switch
        {
            null => null,
            string s => s,
            int or long or double or decimal => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            _ => ThrowValueConversionError(value),
        };
    }
}
