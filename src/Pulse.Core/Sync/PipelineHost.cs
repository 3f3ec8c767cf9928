using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pulse.Core.Embed;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Core.Sync;

/// <summary>
/// The stage workers of one process: the table of queue → handler below, consumed by as many loops as the options say.
/// <c>sync</c> and <c>serve</c> run every stage on the embedded default; <c>worker</c> processes run theirs against a shared broker.
/// </summary>
public sealed class PipelineHost
{
    private readonly IRunStore _runs;
    private readonly IWorkQueue _queue;
    private readonly PipelineWorkers _workers;

    public PipelineHost(IServiceProvider services, IRunStore runs, IWorkQueue queue, FailedMessages failed, IOptions<PipelineOptions> options, ILogger<PipelineHost> logger)
    {
        (_runs, _queue) = (runs, queue);
        var o = options.Value;
        var stages = new Dictionary<string, (int, Func<WorkMessage, CancellationToken, Task>)>();
        if (o.Stages.Contains(Stage.Extract)) stages[QueueNames.Extract] = (o.ExtractWorkers, services.GetRequiredService<ExtractHandler>().HandleAsync);
        if (o.Stages.Contains(Stage.Transform)) stages[QueueNames.Transform] = (o.TransformWorkers, services.GetRequiredService<TransformHandler>().HandleAsync);
        // Without a model there is no embed work: runs are started with embeddings off.
        if (o.Stages.Contains(Stage.Embed) && services.GetService<EmbedHandler>() is { } embed) stages[QueueNames.Embed] = (o.EmbedWorkers, embed.HandleAsync);
        Stages = stages.Keys.Select(q => q switch { QueueNames.Extract => Stage.Extract, QueueNames.Transform => Stage.Transform, _ => Stage.Embed }).ToHashSet();
        _workers = new PipelineWorkers(queue, stages, logger, failed.RecordAsync);
        ExtractWorkers = o.ExtractWorkers;
    }

    /// <summary>The stages this process consumes.</summary>
    public IReadOnlySet<Stage> Stages { get; }

    public int ExtractWorkers { get; }

    /// <summary>Handlers running right now in this process.</summary>
    public int Busy => _workers.Busy;

    public IReadOnlyList<Task> Start(CancellationToken ct) => _workers.Start(ct);

    /// <summary>Queues what the database holds open for the run (after a restart, or when work went quiet); duplicates are harmless (handlers are idempotent).</summary>
    public async Task QueueOutstandingAsync(RunRecord run, CancellationToken ct)
    {
        var open = await _runs.ListOpenWorkAsync(run.Id, ct);
        // Extract messages are turns of the shared pool: a few per run are enough, each turn queues its successor.
        foreach (var id in open.Checkpoints.Take(ExtractWorkers))
            await _queue.PublishAsync(new WorkMessage(QueueNames.Extract, run.TenantId, run.Id, id), ct);
        foreach (var id in open.TransformItems)
            await _queue.PublishAsync(new WorkMessage(QueueNames.Transform, run.TenantId, run.Id, id), ct);
        foreach (var id in open.EmbeddingItems)
            await _queue.PublishAsync(new WorkMessage(QueueNames.Embed, run.TenantId, run.Id, id), ct);
    }
}
