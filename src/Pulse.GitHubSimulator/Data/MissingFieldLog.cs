using System.Collections.Concurrent;

namespace Pulse.GitHubSimulator.Data;

/// <summary>
/// Reports, once per Type.field, that a non-null field absent from the data set was served as its
/// zero value: recordings rarely hold every field, and a silent zero would hide a converter gap.
/// </summary>
public static class MissingFieldLog
{
    private static readonly ConcurrentDictionary<string, bool> Seen = new();

    /// <summary>Where the notices go; Console.Error by default.</summary>
    public static Action<string> Sink { get; set; } = message => Console.Error.WriteLine(message);

    internal static void Report(string typeName, string fieldName)
    {
        var key = typeName + "." + fieldName;
        if (Seen.TryAdd(key, true))
            Sink($"github-simulator: {key} is not in the data set; serving its zero value.");
    }
}
