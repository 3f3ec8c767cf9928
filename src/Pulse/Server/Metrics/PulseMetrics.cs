using System.Diagnostics.Metrics;
using Pulse.Core.Queue;

using Pulse.Hosting;

namespace Pulse.Server.Metrics;

/// <summary>The server's OpenTelemetry instruments: queue depths, items and errors per stage, GitHub points per token.</summary>
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
        _meter.CreateObservableGauge("pulse_github_points_remaining", () => connections.Budgets().Select(b =>
            new Measurement<int>(b.Info.Remaining, new KeyValuePair<string, object?>("token", b.Token))), description: "GitHub points left, per token (hash prefix)");
        _meter.CreateObservableGauge("pulse_github_points_used", () => connections.Budgets().Select(b =>
            new Measurement<int>(b.Info.Used, new KeyValuePair<string, object?>("token", b.Token))), description: "GitHub points used in the current window, per token (hash prefix)");
    }

    public Counter<long> Items { get; }
    public Counter<long> Errors { get; }
    public Counter<long> WebhookRejections { get; }
    public Counter<long> WebhookDeliveries { get; }

    public void Dispose() => _meter.Dispose();
}
