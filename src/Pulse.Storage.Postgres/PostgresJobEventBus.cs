using System.Globalization;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>
/// Job status events across processes over LISTEN/NOTIFY. A publisher (any worker or serve) sends
/// only ids and a time on <see cref="ChannelName"/> (payloads are capped at 8000 bytes); the listener
/// reads the job's status from the database, which is the truth, and hands it to this process's
/// subscribers. Notifications sent while the listener was disconnected are lost, so after every
/// (re)connect it re-reads the status of every job and delivers those. <paramref name="source"/>
/// (e.g. "worker:1234") travels with each notification, so a feed can tell who reported a change.
/// </summary>
public sealed class PostgresJobEventBus(PostgresDatabase db, IRunStore runs, TimeProvider time, string source, ILogger log) : IJobEventBus
{
    private readonly string _source = source.Length <= 200 ? source : source[..200];

    public const string ChannelName = "pulse_job_status";

    /// <summary>The listener's application_name, so an operator (or a test) can find its session.</summary>
    public const string ListenerName = "pulse-job-events";

    private readonly InProcessJobEventBus _local = new();
    private readonly Channel<Notice> _notices = Channel.CreateBounded<Notice>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>How long to wait before reconnecting after the listener's connection was lost. Default 1 s.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times the listener has connected (1 after the first connect; a reconnect adds one).</summary>
    public int Connects => Volatile.Read(ref _connects);

    private int _connects;

    public Task PublishAsync(JobStatusChanged change, CancellationToken ct) => db.ReadAsync(c =>
        c.ExecuteAsync("SELECT pg_notify(@ChannelName, @payload)", new { ChannelName, payload = Notice.Encode(change.TenantId, change.JobId, change.Timestamp, _source) }), ct);

    public IDisposable Subscribe(Func<JobStatusChanged, Task> handler) => _local.Subscribe(handler);

    /// <summary>Listens until cancelled on one dedicated connection, reconnecting after a loss; run it once per process that has subscribers.</summary>
    public async Task ListenAsync(CancellationToken ct)
    {
        var deliver = DeliverAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await ListenOnceAsync(ct);
                }
                catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException && !ct.IsCancellationRequested)
                {
                    log.LogWarning("job events: the listening connection was lost ({Message}); reconnecting", e.Message);
                    await Task.Delay(ReconnectDelay, time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _notices.Writer.TryComplete();
            await deliver;
        }
    }

    private async Task ListenOnceAsync(CancellationToken ct)
    {
        // Not from the pool: a LISTEN belongs to its session, and keepalives notice a peer that vanished without closing.
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = ListenerName, KeepAlive = 10, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Notification += (_, e) =>
        {
            if (Notice.TryDecode(e.Payload, out var notice)) _notices.Writer.TryWrite(notice);
        };
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync($"LISTEN {ChannelName}");
        Interlocked.Increment(ref _connects);
        // Listening first, then the catch-up read: a change between the two is seen twice, never missed.
        foreach (var (tenantId, jobId) in await connection.QueryAsync<(long, long)>("SELECT tenant_id, id FROM etl_jobs ORDER BY id"))
            _notices.Writer.TryWrite(new Notice(tenantId, jobId, time.GetUtcNow(), null));
        while (true) await connection.WaitAsync(ct);
    }

    /// <summary>Reads each noticed job's status once per burst (many notices of one job collapse into one read) and hands it to the subscribers.</summary>
    private async Task DeliverAsync(CancellationToken ct)
    {
        var reader = _notices.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                var burst = new Dictionary<long, Notice>();
                while (reader.TryRead(out var notice)) burst[notice.JobId] = notice;
                foreach (var notice in burst.Values)
                {
                    try
                    {
                        var status = await runs.GetStatusAsync(notice.JobId, ct);
                        await _local.PublishAsync(new JobStatusChanged(notice.TenantId, notice.JobId, status, notice.Timestamp, notice.Source), ct);
                    }
                    catch (Exception e) when (e is NpgsqlException or InvalidOperationException && !ct.IsCancellationRequested)
                    {
                        // A job deleted meanwhile, or the database gone for a moment (the reconnect re-reads everything).
                        log.LogWarning("job events: status of job {JobId} not delivered: {Message}", notice.JobId, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>The NOTIFY payload: "tenant,job,unix-ms,source" (source at most 200 characters), far below PostgreSQL's 8000-byte cap.</summary>
    private sealed record Notice(long TenantId, long JobId, DateTimeOffset Timestamp, string? Source)
    {
        public static string Encode(long tenantId, long jobId, DateTimeOffset at, string source) =>
            string.Create(CultureInfo.InvariantCulture, $"{tenantId},{jobId},{at.ToUnixTimeMilliseconds()},{source}");

        public static bool TryDecode(string payload, out Notice notice)
        {
            var parts = payload.Split(',', 4);
            notice = null!;
            if (parts.Length != 4 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var tenant)
                || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var job) || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var ms)) return false;
            notice = new Notice(tenant, job, DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[3]);
            return true;
        }
    }
}
