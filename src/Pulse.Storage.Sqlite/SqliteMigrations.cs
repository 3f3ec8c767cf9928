using Dapper;
using Microsoft.Data.Sqlite;

namespace Pulse.Storage.Sqlite;

/// <summary>Versioned migrations (Migrations/NNN_name.sql), each applied once, in order, in its own transaction.</summary>
public static class SqliteMigrations
{
    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        var assembly = typeof(SqliteMigrations).Assembly;
        const string prefix = "Pulse.Sqlite.Migrations.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = name[prefix.Length..];
            var version = long.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            if (applied.Contains(version)) continue;
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var sql = await reader.ReadToEndAsync(ct);
            // BEGIN IMMEDIATE: two processes opening a new file at once must not both apply the same version.
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var again = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }, tx);
            if (again == 0)
            {
                await connection.ExecuteAsync(sql, transaction: tx);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @file, @now)",
                    new { version, file, now = SqliteDatabase.Iso(DateTimeOffset.UtcNow) }, tx);
            }
            await tx.CommitAsync(ct);
        }
    }
}
