using System.Diagnostics.Metrics;
using Pulse.Core.Queue;

using Pulse.Hosting;

namespace Pulse.Server.Metrics;

/// <summary>The server's OpenTelemetry instruments: queue depths, items and errors per stage, GitHub points per account.</summary>
public sealed class PulseMetrics : IDisposable
{
    public const string MeterName = "Pulse";
    private readonly Meter _meter = new(MeterName);

    public PulseMetrics(PulseBackend backend, MeteredConnections connections)
    {
        Items = _meter.CreateCounter<long>("pulse_items_processed", description: "Queue messages handled, per stage queue");
        Errors = _meter.CreateCounter<long>("pulse_item_errors", description: "Queue messages that failed and were retried, per stage queue");
        WebhookRejections = _meter.CreateCounter<long>("pulse_webhook_rejections", description: "Webhook deliveries refused and not stored, per reason (signature, too_large)");
        WebhookDeliveries = _meter.CreateCounter<long>("pulse_webhook_deliveries", description: "Signed webhook deliveries, per outcome (pending, ignored, duplicate)");
        // A broker's depths are RabbitMQ's own metrics; the in-process queue's exist only here.
        if (backend.LocalQueue is { } queue)
            _meter.CreateObservableGauge("pulse_queue_depth", () => QueueNames.All.Select(q => new Measurement<int>(queue.Depth(q), new KeyValuePair<string, object?>("queue", q))),
                description: "Messages waiting, per queue");
        // Per GitHub account (a user's login or "installation N"), never per token; an account whose limit GitHub does not enforce has no value.
        _meter.CreateObservableGauge("pulse_github_points_remaining", () => Known(connections, i => i.Remaining), description: "GitHub points left, per account");
        _meter.CreateObservableGauge("pulse_github_points_used", () => Known(connections, i => i.Used), description: "GitHub points used in the current window, per account");
        _meter.CreateObservableGauge("pulse_github_account_active", () => connections.All().Select(a =>
            new Measurement<int>(a.Account.IsActive ? 1 : 0, Labels(a.IntegrationId, a.Account))), description: "1 while GitHub accepts a token of the account, 0 once every one was refused");
    }

    private static IEnumerable<Measurement<int>> Known(MeteredConnections connections, Func<Core.GitHub.RateLimitInfo, int> value) =>
        connections.All().Where(a => a.Account.Budget.Current is not null)
            .Select(a => new Measurement<int>(value(a.Account.Budget.Current!), Labels(a.IntegrationId, a.Account)));

    private static KeyValuePair<string, object?>[] Labels(long integrationId, Core.GitHub.GitHubAccount account) =>
        [new("integration", integrationId), new("account", account.Name)];

    public Counter<long> Items { get; }
    public Counter<long> Errors { get; }
    public Counter<long> WebhookRejections { get; }
    public Counter<long> WebhookDeliveries { get; }

    public void Dispose() => _meter.Dispose();
}
