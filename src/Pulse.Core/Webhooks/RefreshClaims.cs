using Pulse.Core.Storage;

namespace Pulse.Core.Webhooks;

/// <summary>
/// Which deliveries may start a refresh now, in one process. Refreshes of an integration run side by side, up to a bound,
/// but a PR is in at most one running refresh: a delivery naming a PR that a running refresh holds waits for that refresh
/// to end. So a PR's refreshes run one after another, each asking GitHub after the one before has written its rows, and
/// no refresh can write an older state of a PR over a newer one. Thread-safe.
/// </summary>
public sealed class RefreshClaims(int maxPerIntegration)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _acting = [];
    private readonly HashSet<(long IntegrationId, string PullRequestNodeId)> _held = [];
    private readonly Dictionary<long, int> _running = [];

    /// <summary>Whether a delivery is in a running refresh (still pending in the store until that refresh ends).</summary>
    public bool IsActing(long deliveryId)
    {
        lock (_gate) return _acting.Contains(deliveryId);
    }

    /// <summary>Whether the integration may start another refresh.</summary>
    public bool HasRoom(long integrationId)
    {
        lock (_gate) return _running.GetValueOrDefault(integrationId) < maxPerIntegration;
    }

    /// <summary>
    /// Takes, oldest first, the deliveries of one integration none of whose PRs a running refresh holds, and holds their PRs;
    /// null when there is no room or nothing is free. Pass the result to <see cref="Release"/> when its refresh has ended.
    /// </summary>
    public RefreshBatch? TryTake(long integrationId, IReadOnlyList<(OpenWebhookDelivery Delivery, IReadOnlyList<RefreshTarget> Targets)> candidates)
    {
        lock (_gate)
        {
            if (_running.GetValueOrDefault(integrationId) >= maxPerIntegration) return null;
            var deliveries = new List<OpenWebhookDelivery>();
            var targets = new Dictionary<string, RefreshTarget>(StringComparer.Ordinal);
            foreach (var (delivery, named) in candidates)
            {
                if (_acting.Contains(delivery.Id) || named.Any(t => _held.Contains((integrationId, t.PullRequestNodeId)))) continue;
                deliveries.Add(delivery);
                // A PR named twice: its commits changed if either delivery says so.
                foreach (var t in named)
                    targets[t.PullRequestNodeId] = targets.GetValueOrDefault(t.PullRequestNodeId) is { } seen ? seen with { CommitsChanged = seen.CommitsChanged || t.CommitsChanged } : t;
            }
            if (deliveries.Count == 0) return null;
            foreach (var d in deliveries) _acting.Add(d.Id);
            foreach (var id in targets.Keys) _held.Add((integrationId, id));
            _running[integrationId] = _running.GetValueOrDefault(integrationId) + 1;
            return new RefreshBatch(integrationId, deliveries, [.. targets.Values]);
        }
    }

    /// <summary>The batch's refresh has ended (whatever its outcome): its PRs and deliveries are free again.</summary>
    public void Release(RefreshBatch batch)
    {
        lock (_gate)
        {
            foreach (var d in batch.Deliveries) _acting.Remove(d.Id);
            foreach (var t in batch.Targets) _held.Remove((batch.IntegrationId, t.PullRequestNodeId));
            if (--_running[batch.IntegrationId] == 0) _running.Remove(batch.IntegrationId);
        }
    }
}

/// <summary>Deliveries of one integration refreshed together, and the PRs they name (each once).</summary>
public sealed record RefreshBatch(long IntegrationId, IReadOnlyList<OpenWebhookDelivery> Deliveries, IReadOnlyList<RefreshTarget> Targets);
