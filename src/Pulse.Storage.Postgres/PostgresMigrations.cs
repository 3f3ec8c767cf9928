using Dapper;

namespace Pulse.Storage.Postgres;

/// <summary>
/// Versioned migrations (Migrations/NNN_name.sql), each applied once in its own transaction, under
/// a session advisory lock so that processes starting together apply each version exactly once.
/// </summary>
public static class PostgresMigrations
{
    private const long LockKey = 0x5075_6c73_6500_0001;   // "Pulse" + schema

    public static async Task ApplyAsync(PostgresDatabase db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync("SELECT pg_advisory_lock(@LockKey)", new { LockKey });
        try
        {
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)");
            var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
            var assembly = typeof(PostgresMigrations).Assembly;
            const string prefix = "Pulse.Postgres.Migrations.";
            foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var file = name[prefix.Length..];
                var version = long.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
                if (applied.Contains(version)) continue;
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                var sql = await reader.ReadToEndAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(sql, transaction: tx);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @file, now())", new { version, file }, tx);
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@LockKey)", new { LockKey });
        }
    }
}
