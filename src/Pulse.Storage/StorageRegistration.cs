using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>Every store interface over one relational database: what each backend's <c>Add…Storage()</c> registers.</summary>
public static class StorageRegistration
{
    public static IServiceCollection AddRelationalStores(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddSingleton<ITenantStore>(sp => new RelationalTenantStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IIntegrationStore>(sp => new RelationalIntegrationStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IRepositoryStore>(sp => new RelationalRepositoryStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IJobStore>(sp => new RelationalJobStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IJobLeaseStore>(sp => new RelationalJobLeaseStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IRunStore>(sp => new RelationalRunStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<ICheckpointStore>(sp => new RelationalCheckpointStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IWorkItemStore>(sp => new RelationalWorkItemStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IVectorStore>(sp => new RelationalVectorStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IPullRequestStore>(sp => new RelationalPullRequestStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<ISearchStore>(sp => new RelationalSearchStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IPrMetricsStore>(sp => new RelationalPrMetricsStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IWebhookDeliveryStore>(sp => new RelationalWebhookDeliveryStore(sp.GetRequiredService<RelationalDatabase>()))
            .AddSingleton<IInstallationTokenStore>(sp => new RelationalInstallationTokenStore(sp.GetRequiredService<RelationalDatabase>(),
                sp.GetRequiredService<ISecretProtector>()))
            .AddSingleton(sp => new PulseStorage(sp.GetRequiredService<ITenantStore>(), sp.GetRequiredService<IIntegrationStore>(),
                sp.GetRequiredService<IRepositoryStore>(), sp.GetRequiredService<IJobStore>(), sp.GetRequiredService<IJobLeaseStore>(),
                sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<ICheckpointStore>(), sp.GetRequiredService<IWorkItemStore>(),
                sp.GetRequiredService<IVectorStore>(), sp.GetRequiredService<IPullRequestStore>(), sp.GetRequiredService<ISearchStore>(), sp.GetRequiredService<IPrMetricsStore>(),
                sp.GetRequiredService<IWebhookDeliveryStore>()));
    }

    /// <summary>The stores over <paramref name="db"/> without a container, for code that composes by hand.</summary>
    public static PulseStorage Stores(RelationalDatabase db) => new(new RelationalTenantStore(db), new RelationalIntegrationStore(db),
        new RelationalRepositoryStore(db), new RelationalJobStore(db), new RelationalJobLeaseStore(db), new RelationalRunStore(db),
        new RelationalCheckpointStore(db), new RelationalWorkItemStore(db), new RelationalVectorStore(db), new RelationalPullRequestStore(db),
        new RelationalSearchStore(db), new RelationalPrMetricsStore(db), new RelationalWebhookDeliveryStore(db));
}
