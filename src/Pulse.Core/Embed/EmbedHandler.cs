using Microsoft.Extensions.AI;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Embed;

/// <summary>
/// Handles one embedding message: vectors for a batch of rows whose text changed, stored with their content hash. Each
/// distinct text is embedded once: rows repeating a text (templates, identical commit messages) share one model run, and a
/// text the tenant already has a vector for, from any row or run, reuses it.
/// </summary>
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
            var byHash = new Dictionary<string, float[]>(await store.KnownAsync(input.TenantId, modelId, input.Targets.Select(t => t.ContentHash).ToList(), ct),
                StringComparer.Ordinal);
            var missing = input.Targets.Where(t => !byHash.ContainsKey(t.ContentHash)).DistinctBy(t => t.ContentHash).ToList();
            if (missing.Count > 0)
            {
                var embeddings = await generator.GenerateAsync(missing.Select(t => t.Text), cancellationToken: ct);
                for (var i = 0; i < missing.Count; i++) byHash[missing[i].ContentHash] = embeddings[i].Vector.ToArray();
            }
            vectors.AddRange(input.Targets.Select(t => new EmbeddingVector(t.Table, t.RowId, t.ContentHash, byHash[t.ContentHash])));
        }
        await store.CommitAsync(input.WorkItemId, modelId, vectors, ct);
        await coordinator.AfterCommitAsync(run.Id, ct);
    }
}
