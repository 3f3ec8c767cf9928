using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

/// <summary>The server's stores over the same SQLite file as the pipeline's.</summary>
public static class SqliteServerStorage
{
    public static ServerStorage Create(SqliteDatabase db) =>
        new(new SqliteApiKeyStore(db), new SqliteIntegrationStore(db), new SqliteJobControlStore(db), new SqlitePullRequestQueryStore(db));
}
