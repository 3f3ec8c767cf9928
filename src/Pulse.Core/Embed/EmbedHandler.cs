using Microsoft.Extensions.AI;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Embed;

/// <summary>Handles one embedding message: vectors for a batch of rows whose text changed, stored with their content hash.</summary>
public sealed class EmbedHandler(IRunStore runs, IVectorStore store, IEmbeddingGenerator<string, Embedding<float>> generator, string modelId, RunCoordinator coordinator)
{
    public async Task HandleAsync(Queue.WorkMessage message, CancellationToken ct)
    {
        var input = await store.LoadAsync(message.ItemId, ct);
        if (input is null) return;
        var run = await runs.GetRunAsync(input.RunId, ct);
        if (run is null) return;
        await coordinator.MarkRunningAsync(run.Id, input.Step, Stage.Embed, run.JobId, run.TenantId, ct);

        var vectors = new List<EmbeddingVector>(input.Targets.Count);
        if (input.Targets.Count > 0)
        {
            var embeddings = await generator.GenerateAsync(input.Targets.Select(t => t.Text), cancellationToken: ct);
            for (var i = 0; i < input.Targets.Count; i++)
            {
                var t = input.Targets[i];
                vectors.Add(new EmbeddingVector(t.Table, t.RowId, t.ContentHash, embeddings[i].Vector.ToArray()));
            }
        }
        await store.CommitAsync(input.WorkItemId, modelId, vectors, ct);
        await coordinator.AfterCommitAsync(run.Id, ct);
    }
}
