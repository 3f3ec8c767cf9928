using System.Collections.Concurrent;

namespace Pulse.Core.Extract;

/// <summary>The field selections (Queries/*.graphql), read once from the assembly.</summary>
internal static class QueryFragments
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    public static string Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(QueryFragments).Assembly.GetManifestResourceStream($"Pulse.Queries.{n}.graphql")
            ?? throw new InvalidOperationException($"Query fragment '{n}' is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Trim();
    });
}
