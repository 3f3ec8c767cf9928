using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenTelemetry.Metrics;
using Pulse.Core.Embed;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Sync;
using Pulse.Core.Webhooks;
using Pulse.Server.Api;
using Pulse.Server.Feed;
using Pulse.Server.Jobs;
using Pulse.Core.Search;
using Pulse.Server.Metrics;
using Pulse.Hosting;

namespace Pulse.Server;

/// <summary>One Add…() per feature of the server, composed in <see cref="PulseServer"/>.</summary>
public static class ServerServices
{
    /// <summary>
    /// The pipeline as every verb composes it (<see cref="PipelineServices.AddPulsePipeline"/>), with the server's options, its
    /// search, and the queue and GitHub connections metered for /metrics.
    /// </summary>
    public static IServiceCollection AddServerPipeline(this IServiceCollection services, ServerOptions options, PulseBackend backend, EmbeddingModel? embedding) => services
        .AddSingleton(options)
        .AddSingleton(sp => new HybridSearch(sp.GetRequiredService<ISearchStore>(), embedding))
        .AddEmbeddingModel(embedding)
        .AddPulsePipeline(o =>
        {
            o.Stages = backend.Stages;
            o.WatchInterval = options.RunnerTick;
            o.QuietTimeout = options.QuietTimeout;
            o.Extract = options.Extract;
        })
        .AddSingleton<IWorkQueue>(sp => new MeteredQueue(backend.Queue, new Lazy<PulseMetrics>(sp.GetRequiredService<PulseMetrics>)))
        .AddSingleton<MeteredConnections>()
        .AddSingleton<IGitHubConnections>(sp => sp.GetRequiredService<MeteredConnections>());

    private static IServiceCollection AddEmbeddingModel(this IServiceCollection services, EmbeddingModel? embedding) =>
        embedding is null ? services : services.AddSingleton(embedding);

    /// <summary>Running jobs in this process: the runner (leases, watchdog) and the scheduler.</summary>
    public static IServiceCollection AddPulseJobs(this IServiceCollection services, bool embeddings) => services
        .AddSingleton(sp => ActivatorUtilities.CreateInstance<JobRunner>(sp, embeddings))
        .AddSingleton<JobViews>()
        .AddSingleton<Scheduler>()
        .AddHostedService(sp => sp.GetRequiredService<Scheduler>());

    /// <summary>Webhooks: the receiver's options and the processor that refreshes the PRs deliveries name, after the answer.</summary>
    public static IServiceCollection AddPulseWebhooks(this IServiceCollection services, WebhookOptions options, bool embeddings)
    {
        if (options.Check() is { } failure) throw new ArgumentException(failure);
        return services
            .AddSingleton(options)
            .AddSingleton<RefreshRunner>()
            .AddSingleton(sp => ActivatorUtilities.CreateInstance<WebhookProcessor>(sp, embeddings))
            .AddHostedService(sp => sp.GetRequiredService<WebhookProcessor>());
    }

    /// <summary>The WebSocket feed; on PostgreSQL with its one LISTEN connection, hearing every process's status events.</summary>
    public static IServiceCollection AddJobFeed(this IServiceCollection services, PulseBackend backend)
    {
        services.AddSingleton<JobFeed>().AddHostedService(sp => sp.GetRequiredService<JobFeed>());
        if (backend.Database.Postgres is not null) services.AddHostedService<JobEventListener>();
        return services;
    }

    public static IServiceCollection AddPulseMetrics(this IServiceCollection services)
    {
        services.AddSingleton<PulseMetrics>();
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(PulseMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    public static IServiceCollection AddPulseJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
}
