using System.Data.Common;

namespace Pulse.Storage;

/// <summary>
/// One database of either backend as the relational stores use it: transactions, reads and the dialect that says how its SQL
/// differs. The backend decides how a write transaction is run (SQLite: one writer at a time; PostgreSQL: run again whole after
/// a lost race or a restart), never what it does.
/// </summary>
public abstract class RelationalDatabase(TimeProvider time)
{
    public abstract SqlDialect Dialect { get; }

    /// <summary>The clock every store reads "now" from, so tests can move it.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Runs <paramref name="work"/> in one write transaction, committed if it returns.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct);

    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct);

    /// <summary>Runs <paramref name="work"/>'s reads in one transaction that writes nothing and takes no writer's lock (what <see cref="SqlDialect.ByIndex"/> needs).</summary>
    public abstract Task<T> ReadInTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct);

    /// <summary>This build's migrations of the backend, in order.</summary>
    public abstract IReadOnlyList<Migrations.Migration> KnownMigrations { get; }

    /// <summary>The database as a message names it, quoted: its PostgreSQL name or its SQLite file.</summary>
    public abstract string Label { get; }

    /// <summary>Brings the schema to this build's migrations, or refuses a database it does not understand (<see cref="UnknownSchemaException"/>).</summary>
    public abstract Task MigrateAsync(CancellationToken ct);

    /// <summary>The current time, from <see cref="Time"/>.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();
}

/// <summary>The database holds a schema this build of Pulse did not write (another version's migrations).</summary>
public sealed class UnknownSchemaException(string message) : Exception(message);
