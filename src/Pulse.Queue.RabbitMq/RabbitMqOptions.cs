namespace Pulse.Queue.RabbitMq;

/// <summary>Where the broker is and how the queues behave.</summary>
public sealed record RabbitMqOptions
{
    public required Uri Uri { get; init; }

    /// <summary>Prefix of every queue name (isolates tests or environments on one vhost). Default none.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Unacknowledged messages per consumer. Default 2.</summary>
    public ushort Prefetch { get; init; } = 2;

    /// <summary>How long a publish keeps retrying while the broker is unreachable. Default 2 min.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>amqp://user:pass@host:port/vhost[?prefix=P&amp;prefetch=N]</summary>
    public static RabbitMqOptions Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
            throw new ArgumentException($"--queue must be inproc or an amqp://user:pass@host:5672/vhost URL, not '{value}'.");
        var options = new RabbitMqOptions { Uri = new UriBuilder(uri) { Query = "" }.Uri };
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var v = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            options = kv[0] switch
            {
                "prefix" => options with { Prefix = v },
                "prefetch" => options with { Prefetch = ushort.Parse(v, System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown --queue parameter '{kv[0]}' (known: prefix, prefetch)."),
            };
        }
        return options;
    }
}
