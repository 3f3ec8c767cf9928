using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Pulse.Server.Tests.Server.Feed;

public sealed class JobFeedTests
{
    [Fact]
    public async Task Feed_RealSync_ShowsRunningThenFinishedForEveryStageOfEveryStep()
    {
        var ct = TestContext.Current.CancellationToken;
        // Embeddings on: every stage of every step, the embedding stage included, really runs.
        await using var server = await ServerHarness.StartAsync(embeddings: true, ct: ct);
        var (tenantId, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        var (_, jobId) = await server.AddIntegrationAsync(client);
        var (_, otherKey) = await server.NewTenantAsync("other");

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {key}");
        await socket.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws/jobs"), ct);
        using var other = new ClientWebSocket();
        await other.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/ws/jobs?access_token={Uri.EscapeDataString(otherKey)}"), ct);

        var snapshot = await ReceiveAsync(socket, ct);
        Assert.Equal("job_status_update", snapshot.GetProperty("type").GetString());
        Assert.Equal(jobId, snapshot.GetProperty("job_id").GetInt64());
        Assert.Equal(tenantId, snapshot.GetProperty("tenant_id").GetInt64());

        await ServerHarness.ReadAsync(await client.PostAsync($"/api/jobs/{jobId}/run-now", null, ct));
        var seen = new Dictionary<(string Step, string Stage), List<string>>();
        var overall = new List<string>();
        var heartbeats = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        while (true)
        {
            var message = await ReceiveAsync(socket, timeout.Token);
            if (message.GetProperty("type").GetString() == "heartbeat") { heartbeats++; continue; }
            Assert.Equal(tenantId, message.GetProperty("tenant_id").GetInt64());
            Assert.True(message.TryGetProperty("progress", out _) && message.TryGetProperty("timestamp", out _));
            var status = message.GetProperty("status");
            foreach (var step in status.GetProperty("steps").EnumerateObject())
                foreach (var stage in new[] { "extraction", "transform", "embedding" })
                {
                    var list = seen.TryGetValue((step.Name, stage), out var l) ? l : seen[(step.Name, stage)] = [];
                    var state = step.Value.GetProperty(stage).GetString()!;
                    if (list.Count == 0 || list[^1] != state) list.Add(state);
                }
            var o = status.GetProperty("overall").GetString()!;
            if (overall.Count == 0 || overall[^1] != o) overall.Add(o);
            if (o is "FINISHED" or "FAILED") break;
        }
        Assert.Equal("FINISHED", overall[^1]);
        Assert.Equal(1, overall.Count(o => o == "FINISHED"));
        foreach (var ((step, stage), states) in seen)
        {
            Assert.True(states[^1] == "finished", $"{step}/{stage}: {string.Join(" → ", states)}");
            Assert.True(states.IndexOf("running") is >= 0 and var r && r < states.IndexOf("finished"), $"{step}/{stage}: {string.Join(" → ", states)}");
        }
        Assert.Equal(12, seen.Count);

        // The other tenant's socket saw none of it: only heartbeats.
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var otherMessage = await ReceiveAsync(other, quiet.Token);
        Assert.Equal("heartbeat", otherMessage.GetProperty("type").GetString());
        _ = heartbeats;
    }

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        using var text = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"closed: {result.CloseStatusDescription}");
            text.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(Encoding.UTF8.GetString(text.ToArray())).RootElement.Clone();
    }
}
