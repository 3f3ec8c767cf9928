using Pulse.Core.Storage;
using Pulse.Storage.Sqlite;

namespace Pulse.Cli;

/// <summary>Parses --database: "sqlite:PATH" (the default, ./pulse.db) or a PostgreSQL URL.</summary>
public static class DatabaseOption
{
    public const string Default = "sqlite:pulse.db";

    public static async Task<(PulseStorage Storage, string KeyFile)> OpenAsync(string value, CancellationToken ct)
    {
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["sqlite:".Length..];
            if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("--database sqlite: needs a file path, e.g. sqlite:./pulse.db");
            var (storage, db) = await SqliteStorage.OpenAsync(path, ct);
            return (storage, db.Path + ".key");
        }
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || value.Contains("Host=", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("PostgreSQL is not available in this build yet; use --database sqlite:PATH.");
        throw new ArgumentException($"--database must be sqlite:PATH or a postgres:// URL, not '{value}'.");
    }
}
