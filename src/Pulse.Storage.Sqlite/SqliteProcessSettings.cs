using SQLitePCL;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// SQLite's process-wide settings, made once before the process opens its first database. Only one is changed: the memory
/// statistics. With them on (the default), every allocation SQLite makes takes one global mutex to count itself, and that lock
/// was 3% of an embedded sync's CPU (bench/results/bench-org-diag-sync.log). Pulse reads none of them (sqlite3_memory_used,
/// sqlite3_status64, the heap limits). SQLite accepts the setting only before it initializes: a process that opened a
/// connection first (a tool, a test) keeps the default, which changes nothing but the speed.
/// </summary>
internal static class SqliteProcessSettings
{
    private static readonly Lazy<bool> Applied = new(() =>
    {
        Batteries_V2.Init();
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
    });

    /// <summary>Whether the settings took (false when SQLite had initialized before).</summary>
    public static bool Apply() => Applied.Value;
}
