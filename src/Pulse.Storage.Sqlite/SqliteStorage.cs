using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

/// <summary>The embedded default's stores over one SQLite file, migrated on open.</summary>
public static class SqliteStorage
{
    public static async Task<(PulseStorage Storage, SqliteDatabase Database)> OpenAsync(string path, CancellationToken ct)
    {
        var db = new SqliteDatabase(path);
        await db.MigrateAsync(ct);
        var storage = new PulseStorage(new SqliteTenantStore(db), new SqliteRepositoryStore(db), new SqliteJobStore(db),
            new SqliteCheckpointStore(db), new SqliteTransformStore(db), new SqliteEmbeddingStore(db), new SqliteRunLedger(db));
        return (storage, db);
    }
}
