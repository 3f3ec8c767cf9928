using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

using Pulse.Hosting;

namespace Pulse.Server.Api;

/// <summary>/healthz: the database answers and the queue's depths (in-process or RabbitMQ), for load balancers and humans.</summary>
public static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (IPullRequestStore store, PulseBackend backend, PipelineHost host, CancellationToken ct) =>
        {
            string database;
            try
            {
                database = await store.PingAsync(ct) ? "ok" : "failing";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                database = "failing: " + e.GetType().Name;
            }
            var body = new
            {
                status = database == "ok" ? "ok" : "degraded",
                database,
                queue = await QueueAsync(backend, host, ct),
            };
            return Results.Json(body, statusCode: database == "ok" ? 200 : 503);
        }).WithTags("Health");

    private static async Task<object> QueueAsync(PulseBackend backend, PipelineHost host, CancellationToken ct)
    {
        if (backend.LocalQueue is { } local)
            return new { kind = "in-process", depths = QueueNames.All.ToDictionary(q => q, local.Depth), busy_workers = host.Busy };
        var depths = new Dictionary<string, object>();
        foreach (var q in QueueNames.All)
        {
            try
            {
                depths[q] = await backend.Broker!.CountAsync(backend.Broker.NameOf(q), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                depths[q] = "unknown: " + e.GetType().Name;
            }
        }
        return new { kind = "rabbitmq", depths, busy_workers = host.Busy };
    }
}
