using Microsoft.Extensions.Logging.Console;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.Core.Sync;
using Pulse.Storage;
using Pulse.Storage.Postgres;

namespace Pulse.Hosting;

/// <summary>The backend half of every verb's composition; the pipeline half is <see cref="PipelineServices.AddPulsePipeline"/>.</summary>
public static class BackendServices
{
    /// <summary>
    /// The opened backend's services: stores by interface (installation tokens sealed with the key), the schema check, the queue, the key, status events (over NOTIFY on PostgreSQL,
    /// named <paramref name="role"/>:pid), shared rate-limit budgets and the worker registry (distributed mode).
    /// </summary>
    public static IServiceCollection AddPulseBackend(this IServiceCollection services, PulseBackend backend, string role)
    {
        services
            .AddSingleton(_ => backend)   // made by a factory, so the container disposes it (broker, database) with the host
            .AddPulseStorage(backend.Storage)
            .AddSingleton(backend.Secrets)
            .AddSingleton<IInstallationTokenStore>(new RelationalInstallationTokenStore(backend.Database.Relational, backend.Secrets))
            .AddSingleton<ISchemaCheck>(new RelationalSchemaCheck(backend.Database.Relational))
            .AddSingleton(backend.Queue);
        if (backend.LocalQueue is { } local) services.AddSingleton(local);
        if (backend.Workers is { } workers) services.AddSingleton(workers);
        if (backend.Database.Budgets is { } budgets) services.AddSingleton(new SharedRateLimitBudgets(budgets));
        if (backend.Database.Postgres is { } postgres)
        {
            // Status events go out over NOTIFY, so `pulse serve` (its WebSocket feed) hears what every process does.
            services.AddSingleton(sp => new PostgresJobEventBus(postgres, sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<TimeProvider>(),
                $"{role}:{Environment.ProcessId}", sp.GetRequiredService<ILogger<PostgresJobEventBus>>()));
            services.AddSingleton<IJobEventBus>(sp => sp.GetRequiredService<PostgresJobEventBus>());
        }
        return services;
    }

    /// <summary>The CLI's console: the short lines it always printed ("  run 3: full sync of 6 repositories"), Microsoft's chatter only when it matters.</summary>
    public static ILoggingBuilder AddPulseConsole(this ILoggingBuilder logging, LogLevel minimum = LogLevel.Information)
    {
        logging.ClearProviders()
            .AddConsole(o => o.FormatterName = PulseConsoleFormatter.Name)
            .AddConsoleFormatter<PulseConsoleFormatter, ConsoleFormatterOptions>()
            .SetMinimumLevel(minimum)
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
        return logging;
    }
}
