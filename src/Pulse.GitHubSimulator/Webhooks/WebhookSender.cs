using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Pulse.GitHubSimulator.Webhooks;

/// <summary>
/// Sends deliveries as GitHub does: in the order of the changes, each a signed POST with GitHub's headers, answered within
/// 10 s or given up, never retried by itself. A configured share is dropped (never sent, as a delivery GitHub lost); any
/// delivery, dropped or sent, can be redelivered by id with the same body and id, as GitHub's "Redeliver" does.
/// </summary>
internal sealed class WebhookSender : IAsyncDisposable
{
    private const int Kept = 10_000;
    private readonly Uri _url;
    private readonly byte[] _secret;
    private readonly double _dropRate;
    private readonly Random _draws;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Channel<Delivery> _outbox = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, Delivery> _deliveries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _hookId;

    public WebhookSender(Uri url, string secret, double dropRate, int seed)
    {
        (_url, _secret, _dropRate, _draws) = (url, Encoding.UTF8.GetBytes(secret), dropRate, new Random(seed));
        _hookId = 1;
        _loop = Task.Run(SendLoopAsync);
    }

    /// <summary>Queues the deliveries of one change (dropping the configured share); their delivery ids, in order.</summary>
    public JsonArray Emit(IEnumerable<(string Event, JsonObject Payload)> events)
    {
        var ids = new JsonArray();
        foreach (var (name, payload) in events)
        {
            bool dropped;
            lock (_draws) dropped = _draws.NextDouble() < _dropRate;
            var delivery = new Delivery(Guid.NewGuid().ToString(), name, (string?)payload["action"], Encoding.UTF8.GetBytes(payload.ToJsonString()), dropped);
            _deliveries[delivery.Id] = delivery;
            _order.Enqueue(delivery.Id);
            while (_order.Count > Kept && _order.TryDequeue(out var old)) _deliveries.TryRemove(old, out _);
            if (!dropped) _outbox.Writer.TryWrite(delivery);
            ids.Add(delivery.Id);
        }
        return ids;
    }

    /// <summary>Sends a delivery again, dropped or not; false when no such delivery is kept.</summary>
    public bool Redeliver(string id)
    {
        if (!_deliveries.TryGetValue(id, out var delivery)) return false;
        _outbox.Writer.TryWrite(delivery);
        return true;
    }

    /// <summary>The kept deliveries, oldest first: id, event, action, dropped, attempts and the last answer's status.</summary>
    public JsonArray List() => new(_order.Where(_deliveries.ContainsKey).Select(id => _deliveries[id]).Select(d => (JsonNode)new JsonObject
    {
        ["id"] = d.Id, ["event"] = d.Event, ["action"] = d.Action, ["dropped"] = d.Dropped, ["attempts"] = d.Attempts, ["status"] = d.LastStatus,
    }).ToArray());

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var delivery in _outbox.Reader.ReadAllAsync(_stop.Token)) await SendAsync(delivery);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(Delivery delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/pulse-sim");
        request.Headers.Add("X-GitHub-Event", delivery.Event);
        request.Headers.Add("X-GitHub-Delivery", delivery.Id);
        request.Headers.Add("X-GitHub-Hook-ID", _hookId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(_secret, delivery.Body)));
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, delivery.Body)));
        delivery.Attempts++;
        try
        {
            using var response = await _http.SendAsync(request, _stop.Token);
            delivery.LastStatus = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            delivery.LastStatus = 0;   // no answer in time: GitHub records the failure and does not retry
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        _http.Dispose();
        _stop.Dispose();
    }

    private sealed class Delivery(string id, string eventName, string? action, byte[] body, bool dropped)
    {
        public string Id { get; } = id;
        public string Event { get; } = eventName;
        public string? Action { get; } = action;
        public byte[] Body { get; } = body;
        public bool Dropped { get; } = dropped;
        public int Attempts { get; set; }
        public int? LastStatus { get; set; }
    }
}
