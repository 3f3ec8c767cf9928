namespace Pulse.Bench;

/// <summary>
/// CPU time of the PostgreSQL server processes that serve one database (its backends and autovacuum workers, named after it in
/// their process titles), read from /proc: the database's share of a distributed sync, which the client's CPU time leaves out.
/// Only processes alive when it is read count, so it is read before the pools are cleared.
/// </summary>
public static class PostgresCpu
{
    public static TimeSpan Of(string database)
    {
        if (!Directory.Exists("/proc")) return TimeSpan.Zero;
        var ticks = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var title = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!title.StartsWith("postgres:", StringComparison.Ordinal) || !title.Split([' ', '\0']).Contains(database)) continue;
                // Fields after the parenthesised name: state is field 3, utime and stime are fields 14 and 15.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while it was read.
            }
        }
        return TimeSpan.FromSeconds(ticks / 100.0);   // USER_HZ is 100 on Linux
    }
}
