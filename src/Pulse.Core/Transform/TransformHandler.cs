using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Transform;

/// <summary>
/// Handles one transform message: reads one step's rows out of a stored answer and upserts them,
/// marking the item done in the same transaction, so a redelivered message changes nothing.
/// </summary>
public sealed class TransformHandler(IJobStore jobs, ITransformStore store, IWorkQueue queue, RunCoordinator coordinator)
{
    public async Task HandleAsync(WorkMessage message, CancellationToken ct)
    {
        var input = await store.LoadAsync(message.ItemId, ct);
        if (input is null) return;
        var run = await jobs.GetRunAsync(input.RunId, ct);
        if (run is null) return;
        await coordinator.MarkRunningAsync(run.Id, input.Step, Stage.Transform, run.JobId, run.TenantId, ct);

        TransformCommitResult result;
        try
        {
            var (prs, commits, reviews, threads, comments) = PageContent.Read(input.Payload, input.Units, GitHubPrJob.Step(input.Step));
            var batch = new TransformBatch(input.WorkItemId, input.RunId, input.TenantId, input.Step, prs, commits, reviews, threads, comments, input.EmbeddingsEnabled);
            result = await store.CommitAsync(batch, ct);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            // Bad data does not get better on a retry: record it on the item for good; the rest of the run goes on.
            await store.RecordFailureAsync(input.WorkItemId, $"Transform of {input.Step} failed: {e.Message}", maxAttempts: 1, ct);
            await coordinator.AfterCommitAsync(run.Id, ct);
            return;
        }
        foreach (var item in result.EmbeddingItemsToQueue)
            await queue.PublishAsync(new WorkMessage(QueueNames.Embed, run.TenantId, run.Id, item), ct);
        await coordinator.AfterCommitAsync(run.Id, ct);
    }
}
