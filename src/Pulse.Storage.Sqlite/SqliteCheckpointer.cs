using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file beside the writer instead of inside its transactions. SQLite's automatic
/// checkpoint runs in the commit that crosses 1,000 pages, and the writer then waits on two fsyncs while every other write
/// queues behind it: in a bench-org sync that was half of the writer's wall time. Here a pass runs on its own connection after
/// every <see cref="CommitsPerPass"/> commits. When the WAL has grown past <see cref="FinishAbove"/> pages the pass ends under
/// the writer's lock, where only the frames written meanwhile are left to copy, so the next transaction starts the WAL over
/// and the file stays bounded.
/// </summary>
internal sealed class SqliteCheckpointer(SqliteDatabase db)
{
    public const int CommitsPerPass = 32;

    /// <summary>32 MB of 4 KB pages.</summary>
    public const int FinishAbove = 8192;

    private int _commits;
    private int _running;

    /// <summary>A pass is running.</summary>
    public bool Running => Volatile.Read(ref _running) == 1;

    /// <summary>After each commit of the writer, outside its lock: starts a pass when one is due and none runs.</summary>
    public void Committed()
    {
        if (Interlocked.Increment(ref _commits) < CommitsPerPass || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
        Interlocked.Exchange(ref _commits, 0);
        _ = Task.Run(PassAsync);
    }

    private async Task PassAsync()
    {
        try
        {
            int log, copied;
            await using (var connection = await db.OpenAsync(CancellationToken.None))
                (log, copied) = Checkpoint(connection);
            if (copied < log && log >= FinishAbove) await db.BetweenWritesAsync(c => Checkpoint(c));
        }
        catch (SqliteException)
        {
            // A pass that could not run (the file busy in another process, or gone): the next pass, or SQLite's own
            // checkpoint at the writer's limit, copies the frames instead.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>A passive checkpoint: copies what no reader still needs and waits for nobody. The WAL's frames, and how many are copied.</summary>
    private static (int Log, int Copied) Checkpoint(SqliteConnection connection)
    {
        var rc = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var log, out var copied);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return (log, copied);
    }
}
