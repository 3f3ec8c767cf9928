using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Server;

/// <summary>What one <c>pulse serve</c> process does.</summary>
public sealed record ServerOptions
{
    /// <summary>Where to listen, e.g. http://127.0.0.1:8080 (port 0 picks a free one).</summary>
    public required string Urls { get; init; }

    /// <summary>sqlite:PATH, a postgres:// URL or an Npgsql connection string. Default sqlite:pulse.db.</summary>
    public string Database { get; init; } = "sqlite:pulse.db";

    /// <summary>inproc (stages run in this process) or an amqp:// URL (stages run in <c>pulse worker</c> processes). Default inproc.</summary>
    public string Queue { get; init; } = "inproc";

    /// <summary>Stage consumers this process runs. Default (null): all with inproc, none with a shared queue.</summary>
    public IReadOnlySet<Stage>? Stages { get; init; }

    /// <summary>With a shared queue: how long a run may show no progress before its open work is queued again. Default 30 s.</summary>
    public TimeSpan QuietTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The key that creates tenants and their keys; null disables the admin API.</summary>
    public string? AdminKey { get; init; }

    /// <summary>Load the MiniLM model for the embedding stage and search. Default true.</summary>
    public bool Embeddings { get; init; } = true;

    /// <summary>How often the scheduler looks for due jobs. Default 15 s.</summary>
    public TimeSpan SchedulerTick { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a running job's watchdog checks its run (and renews its lease). Default 1 s.</summary>
    public TimeSpan RunnerTick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a job lease lasts without renewal; a crashed process's jobs are resumed after it. Default 1 min.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Between WebSocket heartbeats. Default 15 s.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Messages buffered per WebSocket client before it counts as too slow and is closed. Default 256.</summary>
    public int ClientBuffer { get; init; } = 256;

    public ExtractOptions Extract { get; init; } = new();

    /// <summary>Receiving and acting on GitHub's webhooks: body cap, coalescing window, retries.</summary>
    public Core.Webhooks.WebhookOptions Webhooks { get; init; } = new();

    /// <summary>The dashboard's files. Default: wwwroot next to the executable.</summary>
    public string? WebRoot { get; init; }
}
