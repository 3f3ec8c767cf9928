using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Webhooks;

/// <summary>
/// Acts on stored deliveries after the receiver answered: waits the coalescing window after one arrives, then refreshes the
/// PRs that the open deliveries of each integration name in one run per integration (one at a time each; deliveries
/// arriving meanwhile go in the next). A delivery ends done, ignored (it names no PR Pulse syncs) or failed with the run's
/// error; a failed one is tried again after a backoff, up to the attempts allowed. The database is the queue: deliveries
/// a stopped process left open are taken up on the next poll.
/// </summary>
public sealed class WebhookProcessor(IWebhookDeliveryStore deliveries, IIntegrationStore integrations, RefreshRunner refresher, WebhookOptions options,
    bool embeddings, TimeProvider time, ILogger<WebhookProcessor> logger) : BackgroundService
{
    private readonly Channel<bool> _arrived = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Task> _busy = [];

    /// <summary>A delivery was stored: act on it after the coalescing window.</summary>
    public void Notify() => _arrived.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Notify();   // what a stopped process left open
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                poll.CancelAfter(options.PollInterval);
                try { await _arrived.Reader.ReadAsync(poll.Token); }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
            }
            try
            {
                if (options.CoalesceWindow > TimeSpan.Zero) await Task.Delay(options.CoalesceWindow, time, stoppingToken);
                await RoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Webhook round failed; the deliveries stay open for the next");
            }
        }
        Task[] running;
        lock (_gate) running = [.. _busy.Values];
        await Task.WhenAll(running);
    }

    private async Task RoundAsync(CancellationToken ct)
    {
        var open = await deliveries.ListOpenAsync(options.MaxAttempts, 1_000, ct);
        foreach (var group in open.GroupBy(d => d.IntegrationId))
        {
            lock (_gate)
            {
                if (_busy.ContainsKey(group.Key)) continue;   // its refresh is running: these go in the next one
                _busy[group.Key] = Task.Run(() => ActAsync(group.ToList(), ct), CancellationToken.None);
            }
        }
    }

    private async Task ActAsync(IReadOnlyList<OpenWebhookDelivery> group, CancellationToken ct)
    {
        var (tenantId, integrationId) = (group[0].TenantId, group[0].IntegrationId);
        var acting = new List<OpenWebhookDelivery>();
        try
        {
            var integration = await integrations.GetAsync(tenantId, integrationId, ct);
            var targets = new List<RefreshTarget>();
            var ignored = new List<long>();
            foreach (var delivery in group)
            {
                var found = integration is { Active: true }
                    ? (await deliveries.ResolveAsync(tenantId, integrationId, Refs(delivery), ct)).Where(t => integration.Settings.Includes(t.RepositoryName)).ToList()
                    : [];
                if (found.Count == 0) ignored.Add(delivery.Id);
                else
                {
                    acting.Add(delivery);
                    targets.AddRange(found);
                }
            }
            if (ignored.Count > 0)
                await deliveries.FinishAsync(ignored, WebhookStatus.Ignored, "Names no pull request of a repository this integration syncs.", null, ct);
            if (acting.Count == 0) return;

            var run = await refresher.RefreshAsync(tenantId, integrationId, targets.DistinctBy(t => t.PullRequestNodeId).ToList(), embeddings, ct);
            if (run.Status == RunStatus.Succeeded) await deliveries.FinishAsync(Ids(acting), WebhookStatus.Done, null, null, ct);
            else await FailAsync(acting, run.Error ?? "The refresh run failed.", ct);
            logger.LogInformation("webhooks: {Deliveries} deliveries refreshed {PullRequests} PRs of integration {IntegrationId} in run {RunId} ({Status})",
                acting.Count, targets.Count, integrationId, run.Id, run.Status);
        }
        catch (RefreshBusyException)
        {
            // Another serve process refreshes this integration now: the deliveries stay pending for a later round.
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("webhooks: refresh of integration {IntegrationId} failed: {Error}", integrationId, e.Message);
            if (acting.Count > 0) await FailAsync(acting, $"{e.GetType().Name}: {e.Message}", CancellationToken.None);
        }
        finally
        {
            lock (_gate) _busy.Remove(integrationId);
            Notify();   // deliveries that arrived during this refresh
        }
    }

    private static IReadOnlyList<PullRequestRef> Refs(OpenWebhookDelivery delivery)
    {
        try
        {
            return WebhookEvents.Targets(delivery.Event, delivery.Payload);
        }
        catch (JsonException)
        {
            return [];   // the receiver stores only JSON objects; a damaged row names nothing
        }
    }

    private Task FailAsync(IReadOnlyList<OpenWebhookDelivery> failed, string error, CancellationToken ct)
    {
        var attempt = failed.Min(d => d.Attempts);
        return deliveries.FinishAsync(Ids(failed), WebhookStatus.Failed, error, time.GetUtcNow() + options.RetryBackoff * Math.Pow(2, attempt), ct);
    }

    private static List<long> Ids(IEnumerable<OpenWebhookDelivery> ds) => ds.Select(d => d.Id).ToList();
}
