using Pulse.Core.Extract;

namespace Pulse.Core.Storage;

/// <summary>Webhook deliveries as received (raw, signed) and what became of them; the receiver records, the processor finishes.</summary>
public interface IWebhookDeliveryStore
{
    /// <summary>The integration's protected webhook secret and tenant, or null when it does not exist or has no secret.</summary>
    Task<WebhookSecret?> FindSecretAsync(long integrationId, CancellationToken ct);

    /// <summary>Stores a delivery; false when the integration holds this delivery id already (a replay: nothing is written).</summary>
    Task<bool> RecordAsync(NewWebhookDelivery delivery, CancellationToken ct);

    /// <summary>Deliveries to act on now, oldest first: pending ones, and failed ones under <paramref name="maxAttempts"/> whose retry time came.</summary>
    Task<IReadOnlyList<OpenWebhookDelivery>> ListOpenAsync(int maxAttempts, int limit, CancellationToken ct);

    /// <summary>Ends one attempt of the deliveries: done, ignored or failed (the attempt counted, retried at <paramref name="retryAt"/>).</summary>
    Task FinishAsync(IReadOnlyList<long> ids, string status, string? error, DateTimeOffset? retryAt, CancellationToken ct);

    /// <summary>The tenant's deliveries, newest first, optionally of one status.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListAsync(long tenantId, string? status, int limit, CancellationToken ct);

    /// <summary>
    /// The stored pull requests the references name, with their repository; a reference by node id to a PR not stored yet
    /// resolves through its repository (a PR opened since the last sync). References to repositories Pulse does not sync resolve to nothing.
    /// </summary>
    Task<IReadOnlyList<RefreshTarget>> ResolveAsync(long tenantId, long integrationId, IReadOnlyList<PullRequestRef> refs, CancellationToken ct);

    /// <summary>
    /// What Pulse holds of the tenant's PRs (by node id; PRs it does not hold are left out): the most items of any of their
    /// paged connections, and their review threads with the comments held of each. A refresh sizes its first round by it.
    /// </summary>
    Task<IReadOnlyList<HeldPullRequest>> ListHeldAsync(long tenantId, IReadOnlyList<string> pullRequestNodeIds, CancellationToken ct);
}

public static class WebhookStatus
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Ignored = "ignored";

    public static readonly IReadOnlyList<string> All = [Pending, Done, Failed, Ignored];
}

public sealed record WebhookSecret(long TenantId, long IntegrationId, string ProtectedSecret);

/// <summary>A delivery to store: GitHub's headers, the raw body, and its first status (pending, or ignored for events Pulse does not act on).</summary>
public sealed record NewWebhookDelivery(long TenantId, long IntegrationId, string DeliveryId, string Event, string? Action, byte[] Payload, string Status);

/// <summary>A delivery as listed: everything but the payload.</summary>
public sealed record WebhookDelivery(
    long Id, long IntegrationId, string DeliveryId, string Event, string? Action, DateTimeOffset ReceivedAt, string Status, string? Error, int Attempts,
    DateTimeOffset? FinishedAt);

/// <summary>A delivery to act on, with its raw payload.</summary>
public sealed record OpenWebhookDelivery(long Id, long TenantId, long IntegrationId, string DeliveryId, string Event, byte[] Payload, int Attempts);

/// <summary>
/// A pull request a delivery names, by what its payload gives: the repository's node id and the PR's node id or number, or
/// (a forced push) the branch whose PRs it rewrote. Only these ids are read from a payload; the data comes from GitHub's API.
/// </summary>
public sealed record PullRequestRef(string RepositoryNodeId, string? NodeId = null, int? Number = null, string? HeadRef = null);

/// <summary>
/// A PR as Pulse holds it: its commits count and the largest of its reviews, issue comments and review threads counts (GitHub's
/// totalCounts at the last fetch); its head commit and commits count when Pulse holds every one of its commits, else null; and
/// its review threads.
/// </summary>
public sealed record HeldPullRequest(string NodeId, long Commits, long LargestOtherConnection, HeldCommits? AllCommits, IReadOnlyList<HeldThread> Threads);

/// <summary>A review thread Pulse holds: its node id and how many of its comments Pulse holds.</summary>
public sealed record HeldThread(string ThreadNodeId, long Comments);

/// <summary>A pull request to refresh, and the repository it belongs to.</summary>
public sealed record RefreshTarget(long RepositoryId, string RepositoryName, string PullRequestNodeId)
{
    /// <summary>A delivery naming the PR says its commits changed (<see cref="Webhooks.WebhookEvents.ChangesCommits"/>).</summary>
    public bool CommitsChanged { get; init; }
}
