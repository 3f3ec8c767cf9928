using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Pulse.Core.Queue;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Pulse.Queue.RabbitMq;

/// <summary>
/// The three pipeline queues on RabbitMQ: durable queues, persistent messages, publisher confirms,
/// manual acks after the handler's commit, a prefetch per consumer, and a dead-letter queue
/// (<c>NAME.dead</c>) per queue. The client recovers the connection, re-declares the topology and
/// re-registers the consumers after a broker restart. Messages unacked at the restart go back to
/// their durable queue; an ack of the old channel's tag is skipped by the client's recovery-aware
/// channel, so it just means a redelivery, which the handlers' done-markers absorb. A publish cut
/// before its confirm is sent again (at least once).
/// </summary>
public sealed class RabbitMqQueue : IWorkQueue, IAsyncDisposable
{
    public const string AttemptHeader = "x-pulse-attempt";
    public const string ErrorHeader = "x-pulse-error";
    private readonly RabbitMqOptions _options;
    private readonly IConnection _connection;
    private readonly IChannel _publisher;
    private readonly SemaphoreSlim _publishGate = new(1, 1);

    private RabbitMqQueue(RabbitMqOptions options, IConnection connection, IChannel publisher)
    {
        _options = options;
        _connection = connection;
        _publisher = publisher;
    }

    public static async Task<RabbitMqQueue> ConnectAsync(RabbitMqOptions options, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = options.Uri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
            ClientProvidedName = $"pulse:{Environment.MachineName}:{Environment.ProcessId}:{options.Prefix}",
        };
        IConnection connection;
        try
        {
            connection = await factory.CreateConnectionAsync(ct);
        }
        catch (BrokerUnreachableException e)
        {
            throw new InvalidOperationException($"RabbitMQ is not reachable at {options.Uri.Host}:{options.Uri.Port}: {e.InnerException?.Message ?? e.Message}", e);
        }
        var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        var queue = new RabbitMqQueue(options, connection, publisher);
        foreach (var name in QueueNames.All) await queue.DeclareAsync(publisher, name, ct);
        return queue;
    }

    public string NameOf(string queue) => _options.Prefix + queue;

    public string DeadLetterNameOf(string queue) => _options.Prefix + queue + ".dead";

    private async Task DeclareAsync(IChannel channel, string queue, CancellationToken ct)
    {
        await channel.QueueDeclareAsync(NameOf(queue), durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
        await channel.QueueDeclareAsync(DeadLetterNameOf(queue), durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
    }

    public Task PublishAsync(WorkMessage message, CancellationToken ct) => PublishAsync(NameOf(message.Queue), message, 1, null, ct);

    private async Task PublishAsync(string routingKey, WorkMessage message, int attempt, string? error, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message);
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            Headers = new Dictionary<string, object?> { [AttemptHeader] = attempt, ["x-pulse-tenant"] = message.TenantId },
        };
        if (error is not null) properties.Headers[ErrorHeader] = error.Length > 2000 ? error[..2000] : error;
        var deadline = DateTimeOffset.UtcNow + _options.PublishTimeout;
        while (true)
        {
            await _publishGate.WaitAsync(ct);
            try
            {
                // Confirm tracking: this returns once the broker has the message (and throws on a nack).
                await _publisher.BasicPublishAsync("", routingKey, mandatory: false, properties, body, ct);
                return;
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or PublishException && DateTimeOffset.UtcNow < deadline)
            {
                // The broker is restarting: the client reconnects by itself; try again shortly.
            }
            finally
            {
                _publishGate.Release();
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    public async IAsyncEnumerable<IDelivery> ConsumeAsync(string queue, [EnumeratorCancellation] CancellationToken ct)
    {
        var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        await channel.BasicQosAsync(0, _options.Prefetch, global: false, ct);
        var inbox = Channel.CreateBounded<IDelivery>(_options.Prefetch);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, ea) =>
        {
            WorkMessage? message;
            try
            {
                message = JsonSerializer.Deserialize<WorkMessage>(ea.Body.Span);
            }
            catch (JsonException)
            {
                message = null;
            }
            var attempt = ea.BasicProperties.Headers?.TryGetValue(AttemptHeader, out var a) == true && a is not null ? Convert.ToInt32(a, System.Globalization.CultureInfo.InvariantCulture) : 1;
            if (message is null)
            {
                // Not even a message: straight to the dead-letter queue, nothing to retry.
                await channel.BasicPublishAsync("", DeadLetterNameOf(queue), mandatory: false,
                    new BasicProperties { Persistent = true, Headers = new Dictionary<string, object?> { [ErrorHeader] = "unreadable message body" } }, ea.Body, CancellationToken.None);
                await channel.BasicAckAsync(ea.DeliveryTag, false, CancellationToken.None);
                return;
            }
            await inbox.Writer.WriteAsync(new Delivery(this, channel, queue, message, attempt, ea.DeliveryTag), CancellationToken.None);
        };
        await channel.BasicConsumeAsync(NameOf(queue), autoAck: false, consumer, ct);
        try
        {
            await foreach (var delivery in inbox.Reader.ReadAllAsync(ct))
                yield return delivery;
        }
        finally
        {
            try
            {
                await channel.CloseAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
            {
            }
            channel.Dispose();
        }
    }

    /// <summary>Messages waiting in a queue (for tests and the dashboard).</summary>
    public async Task<uint> CountAsync(string fullName, CancellationToken ct)
    {
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        return await channel.MessageCountAsync(fullName, ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _publisher.CloseAsync();
            await _connection.CloseAsync();
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException)
        {
        }
        _publisher.Dispose();
        _connection.Dispose();
    }

    private sealed class Delivery(RabbitMqQueue owner, IChannel channel, string queue, WorkMessage message, int attempt, ulong tag) : IDelivery
    {
        public WorkMessage Message => message;
        public int Attempt => attempt;

        public Task CompleteAsync(CancellationToken ct) => AckAsync();

        public async Task RetryAsync(CancellationToken ct)
        {
            // The next attempt is a new, confirmed message carrying its count; only then is this one acked.
            await owner.PublishAsync(owner.NameOf(queue), message, attempt + 1, null, ct);
            await AckAsync();
        }

        public async Task DeadLetterAsync(string error, CancellationToken ct)
        {
            await owner.PublishAsync(owner.DeadLetterNameOf(queue), message, attempt, error, ct);
            await AckAsync();
        }

        private async Task AckAsync()
        {
            try
            {
                await channel.BasicAckAsync(tag, multiple: false, CancellationToken.None);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
            {
                // The channel died with the connection: the broker redelivers; the done-marker makes that a no-op.
            }
        }
    }
}
