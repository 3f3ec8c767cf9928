using Npgsql;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>The distributed mode's stores over one PostgreSQL database, migrated on open.</summary>
public static class PostgresStorage
{
    public static async Task<(PulseStorage Storage, PostgresDatabase Database)> OpenAsync(string connection, CancellationToken ct)
    {
        var db = new PostgresDatabase(ToConnectionString(connection));
        await db.MigrateAsync(ct);
        var storage = new PulseStorage(new PostgresTenantStore(db), new PostgresRepositoryStore(db), new PostgresJobStore(db),
            new PostgresCheckpointStore(db), new PostgresTransformStore(db), new PostgresEmbeddingStore(db), new PostgresRunLedger(db));
        return (storage, db);
    }

    /// <summary>postgres://user:pass@host:port/db[?k=v] or an Npgsql connection string.</summary>
    public static string ToConnectionString(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;
        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return builder.ConnectionString;
    }
}
