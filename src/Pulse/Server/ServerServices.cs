using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenTelemetry.Metrics;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;
using Pulse.Server.Api;
using Pulse.Server.Feed;
using Pulse.Server.Jobs;
using Pulse.Server.Metrics;
using Pulse.Storage.Postgres;

namespace Pulse.Server;

/// <summary>One Add…() per feature of the server, composed in <see cref="PulseServer"/>.</summary>
public static class ServerServices
{
    public static IServiceCollection AddPulseStorage(this IServiceCollection services, ServerBackend backend) => services
        .AddSingleton(_ => backend)   // made by a factory, so the container disposes it (broker, database) with the app
        .AddSingleton(backend.Storage).AddSingleton(backend.Secrets)
        .AddSingleton(backend.Storage.Tenants).AddSingleton(backend.Storage.Integrations).AddSingleton(backend.Storage.Repositories)
        .AddSingleton(backend.Storage.Jobs).AddSingleton(backend.Storage.Leases).AddSingleton(backend.Storage.Runs).AddSingleton(backend.Storage.Checkpoints)
        .AddSingleton(backend.Storage.WorkItems).AddSingleton(backend.Storage.Vectors).AddSingleton(backend.Storage.PullRequests);

    /// <summary>The stage workers this process runs (all with the in-process queue, those of --stages with RabbitMQ), its GitHub connections and status events.</summary>
    public static IServiceCollection AddPulsePipeline(this IServiceCollection services, ServerOptions options, ServerBackend backend,
        IEmbeddingGenerator<string, Embedding<float>>? generator, string model) => services
        .AddSingleton(options)
        .AddSingleton(TimeProvider.System)
        .AddSingleton(new EmbeddingSearch(generator, model))
        .AddSingleton<IWorkQueue>(sp => new MeteredQueue(backend.Queue, new Lazy<PulseMetrics>(sp.GetRequiredService<PulseMetrics>)))
        .AddJobEvents(backend)
        .AddSingleton(_ => new HttpClient { Timeout = TimeSpan.FromSeconds(60) })
        .AddSingleton(sp => new GitHubConnections(sp.GetRequiredService<IIntegrationStore>(), sp.GetRequiredService<ISecretProtector>(),
            sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<TimeProvider>(), new RateLimitBudgetOptions(), backend.Budgets))
        .AddSingleton<MeteredConnections>()
        .AddSingleton<IGitHubConnections>(sp => sp.GetRequiredService<MeteredConnections>())
        .AddSingleton(sp => new RunCoordinator(sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IWorkQueue>(), sp.GetRequiredService<IJobEventBus>(), sp.GetRequiredService<TimeProvider>()))
        .AddSingleton(sp => new PipelineHost(sp.GetRequiredService<PulseStorage>(), sp.GetRequiredService<IWorkQueue>(), sp.GetRequiredService<IGitHubConnections>(),
            sp.GetRequiredService<RunCoordinator>(), generator, model, options.Extract, sp.GetRequiredService<TimeProvider>(),
            new PipelineHostOptions { Stages = backend.Stages }, Log(sp, "Pulse.Pipeline")))
        .AddHostedService<PipelineService>();

    /// <summary>
    /// Status events: in this process only (SQLite), or over PostgreSQL NOTIFY, so that what every
    /// worker process publishes reaches this process's WebSocket feed through its one listener.
    /// </summary>
    private static IServiceCollection AddJobEvents(this IServiceCollection services, ServerBackend backend)
    {
        if (backend.Database.Postgres is not { } postgres) return services.AddSingleton<IJobEventBus, InProcessJobEventBus>();
        return services
            .AddSingleton(sp => new PostgresJobEventBus(postgres, sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<TimeProvider>(),
                $"serve:{Environment.ProcessId}", Log(sp, "Pulse.JobEvents")))
            .AddSingleton<IJobEventBus>(sp => sp.GetRequiredService<PostgresJobEventBus>())
            .AddHostedService<JobEventListener>();
    }

    /// <summary>Running jobs in this process: the runner (leases, watchdog) and the scheduler.</summary>
    public static IServiceCollection AddPulseJobs(this IServiceCollection services, bool embeddings) => services
        .AddSingleton(sp => new JobLauncher(sp.GetRequiredService<PulseStorage>(), sp.GetRequiredService<IGitHubConnections>(),
            sp.GetRequiredService<ServerOptions>().Extract, sp.GetRequiredService<TimeProvider>(), Log(sp, "Pulse.Jobs")))
        .AddSingleton(sp => ActivatorUtilities.CreateInstance<JobRunner>(sp, embeddings))
        .AddSingleton<JobViews>()
        .AddSingleton<Scheduler>()
        .AddHostedService(sp => sp.GetRequiredService<Scheduler>());

    public static IServiceCollection AddJobFeed(this IServiceCollection services) => services
        .AddSingleton<JobFeed>()
        .AddHostedService(sp => sp.GetRequiredService<JobFeed>());

    public static IServiceCollection AddPulseMetrics(this IServiceCollection services)
    {
        services.AddSingleton<PulseMetrics>();
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(PulseMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    public static IServiceCollection AddPulseJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

    private static Action<string> Log(IServiceProvider sp, string category)
    {
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        return line => logger.LogInformation("{Line}", line);
    }
}
