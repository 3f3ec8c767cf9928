using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;

namespace Pulse.Storage;

/// <summary>
/// Versioned migrations (<c>Migrations/NNN_name.sql</c> of the backend's assembly, numbered and named alike on both backends),
/// each applied once, in order, in its own transaction. A database holding a version this build does not have, or one under
/// another name, was written by another version of Pulse: it is refused with one line rather than half-migrated.
/// </summary>
public static class Migrations
{
    public sealed record Migration(long Version, string Name, string Sql);

    /// <summary>The backend's migrations, in order.</summary>
    public static IReadOnlyList<Migration> Of(Assembly assembly, string resourcePrefix) =>
        assembly.GetManifestResourceNames().Where(n => n.StartsWith(resourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(n =>
        {
            var file = n[resourcePrefix.Length..];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
            return new Migration(long.Parse(file[..file.IndexOf('_')], CultureInfo.InvariantCulture), file, reader.ReadToEnd());
        }).ToList();

    /// <summary>
    /// Applies what is missing on <paramref name="connection"/>; the caller holds whatever keeps two processes from migrating at once.
    /// <paramref name="timestamp"/> is the database's column type for <c>applied_at</c>.
    /// </summary>
    public static async Task ApplyAsync(DbConnection connection, IReadOnlyList<Migration> migrations, string timestamp, DateTimeOffset now, string where,
        CancellationToken ct)
    {
        await connection.ExecuteAsync($"CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at {timestamp} NOT NULL)");
        await RefuseUnknownAsync(connection, migrations, where, null);
        foreach (var migration in migrations)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            // Again inside the transaction: another process may have applied it meanwhile.
            if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE version = @Version", migration, tx) == 0)
            {
                await connection.ExecuteAsync(migration.Sql, transaction: tx);
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @now)",
                    new { migration.Version, migration.Name, now }, tx);
            }
            await tx.CommitAsync(ct);
        }
    }

    private static async Task RefuseUnknownAsync(DbConnection c, IReadOnlyList<Migration> known, string where, DbTransaction? tx)
    {
        if (await UnknownAsync(c, known, tx) is not { } name) return;
        throw new UnknownSchemaException(
            $"The database {where} holds schema migration {name}, which this build of Pulse does not have ({string.Join(", ", known.Select(m => m.Name))}): " +
            "another version of Pulse made it. Use a new database (or remove this one) and sync again.");
    }

    /// <summary>The first migration the database holds that is not one of <paramref name="known"/> (another version's, or one renamed); null if none.</summary>
    public static async Task<string?> UnknownAsync(DbConnection c, IReadOnlyList<Migration> known, DbTransaction? tx = null)
    {
        var byVersion = known.ToDictionary(m => m.Version, m => m.Name);
        var applied = await c.QueryAsync<(long Version, string Name)>("SELECT version, name FROM schema_migrations ORDER BY version", transaction: tx);
        return applied.Where(a => byVersion.GetValueOrDefault(a.Version) != a.Name).Select(a => a.Name).FirstOrDefault();
    }
}
