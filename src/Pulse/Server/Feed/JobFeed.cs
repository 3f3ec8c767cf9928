using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Server.Api;

namespace Pulse.Server.Feed;

/// <summary>
/// Fans the pipeline's status events out to the WebSocket clients of each tenant. The bus handler
/// only enqueues (workers never wait on a client); one loop builds each message once, drops a
/// repeat of the job's last status, and offers it to every client without blocking.
/// </summary>
public sealed class JobFeed(IJobEventBus events, IJobStore jobs, JobViews views, TimeProvider time, ILogger<JobFeed> logger) : BackgroundService
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Channel<JobStatusChanged> _incoming = Channel.CreateBounded<JobStatusChanged>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly ConcurrentDictionary<FeedClient, byte> _clients = new();
    private readonly ConcurrentDictionary<long, string> _lastStatus = new();

    public IDisposable Add(FeedClient client)
    {
        _clients[client] = 0;
        return new Removal(() => _clients.TryRemove(client, out _));
    }

    /// <summary>The message a client gets for a job: the seed's job_status_update plus the card's fields and, in distributed mode, the reporting process.</summary>
    public async Task<byte[]> MessageAsync(JobRecord job, JobStatus status, DateTimeOffset timestamp, CancellationToken ct, string? source = null)
    {
        var view = await views.OfAsync(job, ct);
        var message = new
        {
            type = "job_status_update",
            tenant_id = job.TenantId,
            job_id = job.Id,
            status,
            progress = status.Steps.ToDictionary(s => s.Key, s => s.Value.Progress),
            job = view,
            timestamp,
            source,
        };
        return JsonSerializer.SerializeToUtf8Bytes(message, Json);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = events.Subscribe(change =>
        {
            _incoming.Writer.TryWrite(change);
            return Task.CompletedTask;
        });
        await foreach (var change in _incoming.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var statusJson = JsonSerializer.Serialize(change.Status);
                if (_lastStatus.TryGetValue(change.JobId, out var last) && last == statusJson) continue;
                _lastStatus[change.JobId] = statusJson;
                var receivers = _clients.Keys.Where(c => c.TenantId == change.TenantId).ToList();
                if (receivers.Count == 0 || await jobs.GetJobAsync(change.JobId, stoppingToken) is not { } job) continue;
                var bytes = await MessageAsync(job, change.Status, change.Timestamp, stoppingToken, change.Source);
                foreach (var client in receivers) client.Offer(bytes);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not send the status of job {JobId}", change.JobId);
            }
        }
    }

    /// <summary>A heartbeat message, so clients and proxies see a live connection.</summary>
    public byte[] Heartbeat() => JsonSerializer.SerializeToUtf8Bytes(new { type = "heartbeat", timestamp = time.GetUtcNow() }, Json);

    private sealed class Removal(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>One WebSocket client: a bounded buffer; a client that lets it fill up is too slow and gets closed.</summary>
public sealed class FeedClient(long tenantId, int capacity)
{
    private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleReader = true });
    private readonly CancellationTokenSource _slow = new();

    public long TenantId { get; } = tenantId;
    public ChannelReader<byte[]> Outgoing => _outgoing.Reader;
    public CancellationToken TooSlow => _slow.Token;

    public void Offer(byte[] message)
    {
        if (_outgoing.Writer.TryWrite(message)) return;
        _outgoing.Writer.TryComplete();
        _slow.Cancel();
    }
}
