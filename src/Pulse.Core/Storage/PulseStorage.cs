namespace Pulse.Core.Storage;

/// <summary>
/// Every store of one backend, for code that composes the pipeline by hand. Each backend's one registration
/// (<c>AddSqliteStorage</c>, <c>AddPostgresStorage</c>) registers every interface on its own as well as this.
/// </summary>
public sealed record PulseStorage(
    ITenantStore Tenants,
    IIntegrationStore Integrations,
    IRepositoryStore Repositories,
    IJobStore Jobs,
    IJobLeaseStore Leases,
    IRunStore Runs,
    ICheckpointStore Checkpoints,
    IWorkItemStore WorkItems,
    IVectorStore Vectors,
    IPullRequestStore PullRequests,
    ISearchStore Search,
    IPrMetricsStore PrMetrics,
    IWebhookDeliveryStore WebhookDeliveries);
