using Pulse.Core.Queue;
using Pulse.Queue.RabbitMq;

namespace Pulse.Cli;

/// <summary>Parses --queue: "inproc" (the default: this process only) or an amqp:// URL (RabbitMQ, shared by every worker).</summary>
public static class QueueOption
{
    public const string Default = "inproc";

    /// <summary>Null for inproc (the caller makes its own in-process queue).</summary>
    public static async Task<RabbitMqQueue?> OpenAsync(string value, CancellationToken ct)
    {
        if (string.Equals(value, Default, StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return await RabbitMqQueue.ConnectAsync(RabbitMqOptions.Parse(value), ct);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    /// <summary>True for a broker every process of a deployment shares (anything but inproc).</summary>
    public static bool IsShared(string value) => !string.Equals(value, Default, StringComparison.OrdinalIgnoreCase);

    public static IWorkQueue? AsWorkQueue(RabbitMqQueue? queue) => queue;
}
