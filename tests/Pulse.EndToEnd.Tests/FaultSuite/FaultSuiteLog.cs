using System.Text.Json;

namespace Pulse.EndToEnd.Tests.FaultSuite;

/// <summary>
/// What the fault suite survived, appended by its tests to $PULSE_FAULT_SUITE_LOG (one JSON line per
/// fact) so scripts/fault-suite.sh can print one summary: kills, faults, bad inputs, rows lost and duplicated.
/// </summary>
public static class FaultSuiteLog
{
    private static readonly Lock Gate = new();

    public static void Kills(string test, int count) => Write(test, "kills", count);

    public static void Faults(string test, long count) => Write(test, "faults", count);

    public static void BadInput(string test) => Write(test, "bad_inputs", 1);

    /// <summary>Rows of the clean run missing after the faults (lost), and rows beyond it (duplicated), from two canonical dumps.</summary>
    public static void Compare(string test, string cleanDump, string actualDump)
    {
        var clean = Lines(cleanDump);
        var actual = Lines(actualDump);
        long lost = 0, duplicated = 0;
        foreach (var (line, count) in clean) lost += Math.Max(0, count - actual.GetValueOrDefault(line));
        foreach (var (line, count) in actual) duplicated += Math.Max(0, count - clean.GetValueOrDefault(line));
        Write(test, "rows_compared", clean.Values.Sum());
        Write(test, "rows_lost", lost);
        Write(test, "rows_duplicated", duplicated);
    }

    /// <summary>How many SIGKILLs crash tests deal: $PULSE_CRASH_KILLS, else the CI default.</summary>
    public static int KillsWanted(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("PULSE_CRASH_KILLS"), out var n) && n > 0 ? n : ciDefault;

    private static Dictionary<string, long> Lines(string dump) =>
        dump.Split('\n').Where(l => l.Length > 0 && l != "---").GroupBy(l => l).ToDictionary(g => g.Key, g => (long)g.Count());

    private static void Write(string test, string fact, long value)
    {
        var path = Environment.GetEnvironmentVariable("PULSE_FAULT_SUITE_LOG");
        if (string.IsNullOrEmpty(path)) return;
        var line = JsonSerializer.Serialize(new { test, fact, value });
        lock (Gate) File.AppendAllText(path, line + "\n");
    }
}
