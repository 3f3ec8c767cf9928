using Microsoft.Extensions.AI;
using Pulse.Core.Embed;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Sync;

/// <summary>
/// The stage workers of one process: extraction, transform and embedding consumers over a queue.
/// <c>sync</c> and <c>serve</c> run one in-process; <c>worker</c> processes run them against a shared broker.
/// </summary>
public sealed class PipelineHost
{
    private readonly PulseStorage _storage;
    private readonly IWorkQueue _queue;
    private readonly PipelineWorkers _workers;

    public PipelineHost(PulseStorage storage, IWorkQueue queue, IGitHubConnections connections, RunCoordinator coordinator,
        IEmbeddingGenerator<string, Embedding<float>>? generator, string embeddingModel, ExtractOptions extraction, TimeProvider time,
        PipelineHostOptions options, Action<string> log)
    {
        _storage = storage;
        _queue = queue;
        var handlers = new Dictionary<string, (int, Func<WorkMessage, CancellationToken, Task>)>();
        if (options.Stages.Contains(Stage.Extract))
        {
            var extract = new ExtractHandler(storage.Jobs, storage.Checkpoints, storage.Repositories, connections, queue, coordinator, new WorkBudgets(extraction), extraction, time);
            handlers[QueueNames.Extract] = (options.ExtractWorkers, extract.HandleAsync);
        }
        if (options.Stages.Contains(Stage.Transform))
            handlers[QueueNames.Transform] = (options.TransformWorkers, new TransformHandler(storage.Jobs, storage.Transforms, queue, coordinator).HandleAsync);
        if (options.Stages.Contains(Stage.Embed) && generator is not null)
            handlers[QueueNames.Embed] = (options.EmbedWorkers, new EmbedHandler(storage.Jobs, storage.Embeddings, generator, embeddingModel, coordinator).HandleAsync);
        _workers = new PipelineWorkers(queue, handlers, log, async (message, error, ct) =>
        {
            // A poison message fails its work item for good: the stage (and run) ends failed and shows why, the rest goes on.
            if (message.Queue == QueueNames.Transform) await storage.Transforms.RecordFailureAsync(message.ItemId, error, maxAttempts: 1, ct);
            else if (message.Queue == QueueNames.Embed) await storage.Embeddings.RecordFailureAsync(message.ItemId, error, maxAttempts: 1, ct);
            else return;
            await coordinator.AfterCommitAsync(message.RunId, ct);
        });
        ExtractWorkers = options.ExtractWorkers;
    }

    public int ExtractWorkers { get; }

    /// <summary>Handlers running right now in this process.</summary>
    public int Busy => _workers.Busy;

    public IReadOnlyList<Task> Start(CancellationToken ct) => _workers.Start(ct);

    /// <summary>Queues again what the database says is open for the run (after a restart, or when work went quiet).</summary>
    public Task QueueOutstandingAsync(RunRecord run, CancellationToken ct) => QueueOutstandingAsync(_storage, _queue, run, ExtractWorkers, ct);

    /// <summary>Queues what the database holds open for the run; duplicates are harmless (handlers are idempotent).</summary>
    public static async Task QueueOutstandingAsync(PulseStorage storage, IWorkQueue queue, RunRecord run, int extractionMessages, CancellationToken ct)
    {
        var open = await storage.Ledger.OutstandingAsync(run.Id, ct);
        // Extraction messages are turns of the shared pool: a few per run are enough, each turn queues its successor.
        foreach (var id in open.Checkpoints.Take(extractionMessages))
            await queue.PublishAsync(new WorkMessage(QueueNames.Extract, run.TenantId, run.Id, id), ct);
        foreach (var id in open.TransformItems)
            await queue.PublishAsync(new WorkMessage(QueueNames.Transform, run.TenantId, run.Id, id), ct);
        foreach (var id in open.EmbeddingItems)
            await queue.PublishAsync(new WorkMessage(QueueNames.Embed, run.TenantId, run.Id, id), ct);
    }
}

/// <summary>Which stages a process runs, and how many workers each.</summary>
public sealed record PipelineHostOptions
{
    public IReadOnlySet<Stage> Stages { get; init; } = new HashSet<Stage> { Stage.Extract, Stage.Transform, Stage.Embed };
    public int ExtractWorkers { get; init; } = 2;
    public int TransformWorkers { get; init; } = 2;
    public int EmbedWorkers { get; init; } = 1;
}
