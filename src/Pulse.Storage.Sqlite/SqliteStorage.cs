using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pulse.Core.Storage;
using Pulse.Storage;

namespace Pulse.Storage.Sqlite;

/// <summary>The embedded default's one registration: every store interface over one SQLite file.</summary>
public static class SqliteStorage
{
    /// <summary>Registers <see cref="SqliteDatabase"/> and every store over it; call <see cref="RelationalDatabase.MigrateAsync"/> at start.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string path)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddSingleton(sp => new SqliteDatabase(path, sp.GetRequiredService<TimeProvider>()))
            .AddSingleton<RelationalDatabase>(sp => sp.GetRequiredService<SqliteDatabase>())
            .AddRelationalStores();
    }

    /// <summary>The stores over one SQLite file, migrated, for code that composes by hand.</summary>
    public static async Task<(PulseStorage Storage, SqliteDatabase Database)> OpenAsync(string path, CancellationToken ct, TimeProvider? time = null)
    {
        var db = new SqliteDatabase(path, time);
        await db.MigrateAsync(ct);
        return (StorageRegistration.Stores(db), db);
    }
}
