using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>The server's stores over the same PostgreSQL database as the pipeline's.</summary>
public static class PostgresServerStorage
{
    public static ServerStorage Create(PostgresDatabase db) =>
        new(new PostgresApiKeyStore(db), new PostgresIntegrationStore(db), new PostgresJobControlStore(db), new PostgresPullRequestQueryStore(db));
}
