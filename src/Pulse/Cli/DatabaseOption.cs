using Pulse.Core.GitHub;
using Pulse.Core.Storage;
using Pulse.Storage;
using Pulse.Storage.Postgres;
using Pulse.Storage.Sqlite;

namespace Pulse.Cli;

/// <summary>Parses --database: "sqlite:PATH" (the default, ./pulse.db), a postgres:// URL or an Npgsql connection string.</summary>
public static class DatabaseOption
{
    public const string Default = "sqlite:pulse.db";

    public static async Task<(PulseStorage Storage, string? KeyFile)> OpenAsync(string value, CancellationToken ct)
    {
        var opened = await OpenWithBudgetsAsync(value, new RateLimitBudgetOptions(), TimeProvider.System, ct);
        return (opened.Storage, opened.KeyFile);
    }

    /// <summary>Also returns, for PostgreSQL, the rate-limit budgets shared by every process (null: in-process budgets).</summary>
    public static async Task<OpenedDatabase> OpenWithBudgetsAsync(string value, RateLimitBudgetOptions budget, TimeProvider time, CancellationToken ct)
    {
        try
        {
            return await OpenKnownAsync(value, budget, time, ct);
        }
        catch (UnknownSchemaException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static async Task<OpenedDatabase> OpenKnownAsync(string value, RateLimitBudgetOptions budget, TimeProvider time, CancellationToken ct)
    {
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["sqlite:".Length..];
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("--database sqlite: needs a file path, e.g. sqlite:./pulse.db");
            var (storage, db) = await SqliteStorage.OpenAsync(path, ct);
            return new OpenedDatabase(storage, db.Path + ".key", null, null, new RelationalKeyFingerprintStore(db), db);
        }
        if (IsPostgres(value))
        {
            try
            {
                var (storage, db) = await PostgresStorage.OpenAsync(value, ct);
                // No key file: every process of a deployment must hold the same key, so PULSE_SECRET_KEY is required (see SecretKeys).
                return new OpenedDatabase(storage, null, key => new PostgresRateLimitBudget(db, key, time, budget), db,
                    new RelationalKeyFingerprintStore(db), db);
            }
            catch (Npgsql.NpgsqlException e)
            {
                throw new ArgumentException($"PostgreSQL is not reachable or refused the connection: {e.Message}", e);
            }
        }
        throw new ArgumentException($"--database must be sqlite:PATH, a postgres:// URL or an Npgsql connection string, not '{value}'.");
    }

    /// <summary>True for a PostgreSQL database, the one kind every process of a deployment can share.</summary>
    public static bool IsPostgres(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || value.Contains("Host=", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// An opened --database: its stores, the key's fingerprint and the database itself (for the stores that need the key); for
/// PostgreSQL also the shared budgets and the database as PostgreSQL (for LISTEN/NOTIFY and the worker registry).
/// </summary>
public sealed record OpenedDatabase(PulseStorage Storage, string? KeyFile, Func<string, IRateLimitBudget>? Budgets, PostgresDatabase? Postgres,
    IKeyFingerprintStore Fingerprints, RelationalDatabase Relational);
