using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Pulse.Core.GitHub;
using Pulse.Core.Storage;
using Pulse.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>
/// The distributed mode's one registration: every store interface over one PostgreSQL database, and its genuine extras —
/// the rate-limit budget every process shares (<see cref="PostgresRateLimitBudget"/>) and, for status events across
/// processes, <see cref="PostgresJobEventBus"/> over the same database.
/// </summary>
public static class PostgresStorage
{
    /// <summary>
    /// Registers <see cref="PostgresDatabase"/>, every store over it, and a factory of shared budgets (token hash → budget);
    /// call <see cref="RelationalDatabase.MigrateAsync"/> at start.
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connection, RateLimitBudgetOptions? budget = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddSingleton(sp => new PostgresDatabase(ToConnectionString(connection), time: sp.GetRequiredService<TimeProvider>()))
            .AddSingleton<RelationalDatabase>(sp => sp.GetRequiredService<PostgresDatabase>())
            .AddSingleton<Func<string, IRateLimitBudget>>(sp => key => new PostgresRateLimitBudget(sp.GetRequiredService<PostgresDatabase>(), key,
                sp.GetRequiredService<TimeProvider>(), budget ?? new RateLimitBudgetOptions()))
            .AddRelationalStores();
    }

    /// <summary>The stores over one PostgreSQL database, migrated, for code that composes by hand.</summary>
    public static async Task<(PulseStorage Storage, PostgresDatabase Database)> OpenAsync(string connection, CancellationToken ct, TimeProvider? time = null)
    {
        var db = new PostgresDatabase(ToConnectionString(connection), time: time);
        await db.MigrateAsync(ct);
        return (StorageRegistration.Stores(db), db);
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
