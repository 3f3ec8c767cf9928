using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pulse.Core.Embed;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Sync;

/// <summary>The one composition of the pipeline, used by <c>sync</c>, <c>serve</c> and <c>worker</c> (and the tests' and bench's hosts).</summary>
public static class PipelineServices
{
    /// <summary>
    /// The pipeline over what the backend registered: the stores (by interface), an <see cref="Queue.IWorkQueue"/>, an
    /// <see cref="Security.ISecretProtector"/>; optionally an <see cref="Queue.InProcessQueue"/> (the embedded queue, whose
    /// depth the watchdog reads), <see cref="IJobEventBus"/>, <see cref="SharedRateLimitBudgets"/>, <see cref="IInstallationTokenStore"/>, <see cref="EmbeddingModel"/>
    /// and <see cref="IWorkerRegistry"/> (a shared queue's workers). Options are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddPulsePipeline(this IServiceCollection services, Action<PipelineOptions>? configure = null)
    {
        services.AddOptions<PipelineOptions>()
            .Configure(o => configure?.Invoke(o))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsCheck>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobEventBus, InProcessJobEventBus>();
        services.TryAddSingleton(new RateLimitBudgetOptions());
        services.TryAddSingleton(_ => new HttpClient { Timeout = TimeSpan.FromSeconds(60) });
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Extract);
        services.TryAddSingleton(sp => new GitHubConnections(sp.GetRequiredService<IIntegrationStore>(), sp.GetRequiredService<Security.ISecretProtector>(),
            sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RateLimitBudgetOptions>(),
            sp.GetService<SharedRateLimitBudgets>()?.ForToken, sp.GetService<IInstallationTokenStore>()));
        services.TryAddSingleton<IGitHubConnections>(sp => sp.GetRequiredService<GitHubConnections>());

        // The stages, each a handler over its stores; PipelineHost lists which queue feeds which.
        services.TryAddSingleton<RunCoordinator>();
        services.TryAddSingleton<WorkBudgets>();
        services.TryAddSingleton<ExtractHandler>();
        services.TryAddSingleton<TransformHandler>();
        services.TryAddSingleton(sp => sp.GetService<EmbeddingModel>() is { } model
            ? new EmbedHandler(sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IVectorStore>(), model.Generator, model.Id, sp.GetRequiredService<RunCoordinator>())
            : null!);
        services.TryAddSingleton<FailedMessages>();
        services.TryAddSingleton<PipelineHost>();
        services.TryAddSingleton<PipelineStop>();
        services.AddHostedService<PipelineService>();

        // Runs: started (or resumed) by the launcher, watched by the one watchdog.
        services.TryAddSingleton<JobLauncher>();
        services.TryAddSingleton(sp => sp.GetService<IWorkerRegistry>() is { } registry
            ? new WorkerRoster(registry, sp.GetRequiredService<IOptions<PipelineOptions>>(), sp.GetRequiredService<TimeProvider>())
            : null!);
        services.TryAddSingleton<RunWatchdog>();
        services.TryAddSingleton<SyncRunner>();
        return services;
    }

    /// <summary>
    /// The stores of one backend opened by hand (tests, bench), each under its interface: what a backend's own
    /// registration (<c>AddSqliteStorage</c> / <c>AddPostgresStorage</c>) registers.
    /// </summary>
    public static IServiceCollection AddPulseStorage(this IServiceCollection services, PulseStorage storage) => services
        .AddSingleton(storage)
        .AddSingleton(storage.Tenants).AddSingleton(storage.Integrations).AddSingleton(storage.Repositories).AddSingleton(storage.Jobs)
        .AddSingleton(storage.Leases).AddSingleton(storage.Runs).AddSingleton(storage.Checkpoints).AddSingleton(storage.WorkItems)
        .AddSingleton(storage.Vectors).AddSingleton(storage.PullRequests).AddSingleton(storage.Search).AddSingleton(storage.PrMetrics)
        .AddSingleton(storage.WebhookDeliveries);
}

/// <summary>What the annotations on <see cref="PipelineOptions"/> cannot say, checked at start with them.</summary>
internal sealed class PipelineOptionsCheck : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options) =>
        options.Check() is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
}
