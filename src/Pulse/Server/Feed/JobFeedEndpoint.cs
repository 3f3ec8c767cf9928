using System.Net.WebSockets;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Server.Auth;

namespace Pulse.Server.Feed;

/// <summary>/ws/jobs: the tenant's job statuses now, then every change, with heartbeats. Client messages are ignored.</summary>
public static class JobFeedEndpoint
{
    public static void MapJobFeed(this IEndpointRouteBuilder app) => app.Map("/ws/jobs", async (HttpContext http, JobFeed feed,
        IJobStore jobs, IRunStore runs, ServerOptions options, TimeProvider time, IHostApplicationLifetime lifetime) =>
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsJsonAsync(new { error = "This endpoint speaks WebSocket only." });
            return;
        }
        var tenant = ApiKeyAuthentication.TenantOf(http);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var client = new FeedClient(tenant, options.ClientBuffer);
        using var registration = feed.Add(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, client.TooSlow, lifetime.ApplicationStopping);
        var ct = stop.Token;
        try
        {
            foreach (var job in await jobs.ListAsync(tenant, GitHubPrJob.Name, ct))
                client.Offer(await feed.MessageAsync(job, await runs.GetStatusAsync(job.Id, ct), time.GetUtcNow(), ct));
            var receive = DrainAsync(socket, stop);
            using var heartbeat = new PeriodicTimer(options.Heartbeat, time);
            var beats = BeatAsync(heartbeat, feed, client, ct);
            await foreach (var message in client.Outgoing.ReadAllAsync(ct))
            {
                using var sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                sendTimeout.CancelAfter(TimeSpan.FromSeconds(10));
                await socket.SendAsync(message, WebSocketMessageType.Text, true, sendTimeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or System.Threading.Channels.ChannelClosedException)
        {
        }
        if (socket.State == WebSocketState.Open)
        {
            var (code, reason) = client.TooSlow.IsCancellationRequested
                ? (WebSocketCloseStatus.PolicyViolation, "too slow: messages were not read")
                : (WebSocketCloseStatus.NormalClosure, "bye");
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try { await socket.CloseOutputAsync(code, reason, closing.Token); } catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
    }).WithTags("Jobs");

    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        await stop.CancelAsync();
    }

    private static async Task BeatAsync(PeriodicTimer timer, JobFeed feed, FeedClient client, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) client.Offer(feed.Heartbeat());
        }
        catch (OperationCanceledException)
        {
        }
    }
}
