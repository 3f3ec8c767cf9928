using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.Server.Api;

/// <summary>/healthz: the database answers and the queue's depths, for load balancers and humans.</summary>
public static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (IPullRequestQueryStore store, InProcessQueue queue, PipelineHost host, CancellationToken ct) =>
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
                queue = new { kind = "in-process", depths = QueueNames.All.ToDictionary(q => q, queue.Depth), busy_workers = host.Busy },
            };
            return Results.Json(body, statusCode: database == "ok" ? 200 : 503);
        }).WithTags("Health");
}
