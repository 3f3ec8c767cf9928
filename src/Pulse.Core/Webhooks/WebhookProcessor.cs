using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Webhooks;

/// <summary>
/// Acts on stored deliveries after the receiver answered: from the first delivery that arrives, waits the coalescing window
/// (<see cref="CoalescingWindow"/>), then refreshes the PRs that the open deliveries of each integration name in
/// one run. Refreshes of an integration run side by side up to a bound, never two holding one PR (<see cref="RefreshClaims"/>).
/// A delivery ends done, ignored (it names no PR Pulse syncs) or failed with the run's error; a failed one is tried again
/// after a backoff, up to the attempts allowed. The database is the queue: deliveries a stopped process left open are taken
/// up on the next poll.
/// </summary>
public sealed class WebhookProcessor(IWebhookDeliveryStore deliveries, IIntegrationStore integrations, RefreshRunner refresher, WebhookOptions options,
    bool embeddings, TimeProvider time, ILogger<WebhookProcessor> logger) : BackgroundService
{
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly RefreshClaims _claims = new(options.MaxConcurrentRefreshes);
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];
    private readonly CoalescingWindow _window = new(options, time);

    /// <summary>A delivery was stored: act on it once the coalescing window closes.</summary>
    public void Notify()
    {
        _window.Arrived();
        _signal.Writer.TryWrite(true);
    }

    /// <summary>Look at the open deliveries now: those a refresh held back have waited their window already.</summary>
    private void Wake() => _signal.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Wake();   // what a stopped process left open
        while (!stoppingToken.IsCancellationRequested)
        {
            await WaitAsync(options.PollInterval, stoppingToken);
            try
            {
                await CoalesceAsync(stoppingToken);
                await RoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Webhook round failed; the deliveries stay open for the next");
            }
        }
        Task[] running;
        lock (_gate) running = [.. _running];
        await Task.WhenAll(running);
    }

    /// <summary>Until a signal or <paramref name="timeout"/>, whichever comes first.</summary>
    private async Task WaitAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(timeout);
        try { await _signal.Reader.ReadAsync(wait.Token); }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>Until the coalescing window closes (<see cref="CoalescingWindow"/>), waking at each delivery to look again.</summary>
    private async Task CoalesceAsync(CancellationToken ct)
    {
        while (_window.Left() is { } left && left > TimeSpan.Zero) await WaitAsync(left, ct);
        _window.Close();
    }

    private async Task RoundAsync(CancellationToken ct)
    {
        var open = await deliveries.ListOpenAsync(options.MaxAttempts, 1_000, ct);
        foreach (var group in open.Where(d => !_claims.IsActing(d.Id)).GroupBy(d => (d.TenantId, d.IntegrationId)))
        {
            if (!_claims.HasRoom(group.Key.IntegrationId)) continue;   // these go in a refresh of the integration that ends
            var candidates = await ResolveAsync(group.Key.TenantId, group.Key.IntegrationId, [.. group], ct);
            if (_claims.TryTake(group.Key.IntegrationId, candidates) is not { } batch) continue;
            lock (_gate)
            {
                var task = Task.Run(() => ActAsync(group.Key.TenantId, batch, ct), CancellationToken.None);
                _running.Add(task);
                _ = task.ContinueWith(t => { lock (_gate) _running.Remove(t); }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The PRs each delivery names that Pulse syncs; deliveries naming none end ignored here.</summary>
    private async Task<List<(OpenWebhookDelivery, IReadOnlyList<RefreshTarget>)>> ResolveAsync(long tenantId, long integrationId,
        IReadOnlyList<OpenWebhookDelivery> group, CancellationToken ct)
    {
        var integration = await integrations.GetAsync(tenantId, integrationId, ct);
        var named = new List<(OpenWebhookDelivery, IReadOnlyList<RefreshTarget>)>();
        var ignored = new List<long>();
        foreach (var delivery in group)
        {
            var (refs, changesCommits) = Read(delivery);
            var found = integration is { Active: true }
                ? (await deliveries.ResolveAsync(tenantId, integrationId, refs, ct)).Where(t => integration.Settings.Includes(t.RepositoryName))
                    .Select(t => t with { CommitsChanged = changesCommits }).ToList()
                : [];
            if (found.Count == 0) ignored.Add(delivery.Id);
            else named.Add((delivery, found));
        }
        if (ignored.Count > 0)
            await deliveries.FinishAsync(ignored, WebhookStatus.Ignored, "Names no pull request of a repository this integration syncs.", null, ct);
        return named;
    }

    private async Task ActAsync(long tenantId, RefreshBatch batch, CancellationToken ct)
    {
        var busy = false;
        try
        {
            var run = await refresher.RefreshAsync(tenantId, batch.IntegrationId, batch.Targets, embeddings, ct);
            if (run.Status == RunStatus.Succeeded) await deliveries.FinishAsync(Ids(batch.Deliveries), WebhookStatus.Done, null, null, ct);
            else await FailAsync(batch.Deliveries, run.Error ?? "The refresh run failed.", ct);
            logger.LogInformation("webhooks: {Deliveries} deliveries refreshed {PullRequests} PRs of integration {IntegrationId} in run {RunId} ({Status})",
                batch.Deliveries.Count, batch.Targets.Count, batch.IntegrationId, run.Id, run.Status);
        }
        catch (RefreshBusyException)
        {
            // Another serve process refreshes this integration now: the deliveries stay pending for the next poll.
            busy = true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("webhooks: refresh of integration {IntegrationId} failed: {Error}", batch.IntegrationId, e.Message);
            await FailAsync(batch.Deliveries, $"{e.GetType().Name}: {e.Message}", CancellationToken.None);
        }
        finally
        {
            _claims.Release(batch);
            if (!busy) Wake();   // deliveries held back while this refresh held their PRs
        }
    }

    /// <summary>The PRs a delivery names, and whether it says their commits changed (<see cref="WebhookEvents.ChangesCommits"/>).</summary>
    private static (IReadOnlyList<PullRequestRef> Refs, bool ChangesCommits) Read(OpenWebhookDelivery delivery)
    {
        try
        {
            return (WebhookEvents.Targets(delivery.Event, delivery.Payload), WebhookEvents.ChangesCommits(delivery.Event, delivery.Payload));
        }
        catch (JsonException)
        {
            return ([], false);   // the receiver stores only JSON objects; a damaged row names nothing
        }
    }

    private Task FailAsync(IReadOnlyList<OpenWebhookDelivery> failed, string error, CancellationToken ct)
    {
        var attempt = failed.Min(d => d.Attempts);
        return deliveries.FinishAsync(Ids(failed), WebhookStatus.Failed, error, time.GetUtcNow() + options.RetryBackoff * Math.Pow(2, attempt), ct);
    }

    private static List<long> Ids(IEnumerable<OpenWebhookDelivery> ds) => ds.Select(d => d.Id).ToList();
}
