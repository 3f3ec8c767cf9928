using System.Collections.Concurrent;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Transform;

/// <summary>
/// Handles one transform message: reads the rows of every pending step item of the message's page out of the stored
/// answer and upserts them, marking each item done in the same transaction, so a redelivered message changes nothing.
/// </summary>
public sealed class TransformHandler(IWorkItemStore store, IWorkQueue queue, RunCoordinator coordinator)
{
    /// <summary>
    /// Items a transform of this process holds, and when it lets go of them. A page's step items are queued together,
    /// so two workers would otherwise both load and parse the same page, and one commit would find the work done.
    /// </summary>
    private readonly ConcurrentDictionary<long, Task> _held = new();

    public async Task HandleAsync(WorkMessage message, CancellationToken ct)
    {
        while (true)
        {
            // The message's item is in a sibling's transform: wait for it, then look again (it has usually done this item too).
            if (_held.TryGetValue(message.ItemId, out var holder))
            {
                await holder.WaitAsync(ct);
                continue;
            }
            var input = await store.LoadTransformAsync(message.ItemId, ct);
            if (input is null) return;
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var held = input.Items.Where(i => _held.TryAdd(i.WorkItemId, released.Task)).ToList();
            try
            {
                // Each message ends only when its own item is done or handled here: a holder that fails leaves it pending.
                if (held.Any(i => i.WorkItemId == message.ItemId))
                {
                    await TransformAsync(input with { Items = held }, ct);
                    return;
                }
            }
            finally
            {
                foreach (var item in held) _held.TryRemove(item.WorkItemId, out _);
                released.SetResult();
            }
        }
    }

    private async Task TransformAsync(TransformInput input, CancellationToken ct)
    {
        // The input names its run (read with its items): no second round trip for the run's row.
        foreach (var item in input.Items)
            await coordinator.MarkRunningAsync(input.RunId, item.Step, Stage.Transform, input.JobId, input.TenantId, ct);

        IReadOnlyList<long> embeddingItems;
        try
        {
            embeddingItems = (await store.CommitTransformAsync(Batches(input, input.Items), ct)).EmbeddingItemsToQueue;
        }
        catch (Exception e) when (IsBadData(e) && input.Items.Count > 1)
        {
            // One step's bad data must not fail its page's other steps: each item again, on its own.
            embeddingItems = await OneByOneAsync(input, ct);
        }
        catch (Exception e) when (IsBadData(e))
        {
            await RecordBadDataAsync(input.Items[0], e, ct);
            embeddingItems = [];
        }
        foreach (var item in embeddingItems)
            await queue.PublishAsync(new WorkMessage(QueueNames.Embed, input.TenantId, input.RunId, item), ct);
        await coordinator.AfterCommitAsync(input.RunId, ct);
    }

    private async Task<IReadOnlyList<long>> OneByOneAsync(TransformInput input, CancellationToken ct)
    {
        var embeddingItems = new List<long>();
        foreach (var item in input.Items)
        {
            try
            {
                embeddingItems.AddRange((await store.CommitTransformAsync(Batches(input, [item]), ct)).EmbeddingItemsToQueue);
            }
            catch (Exception e) when (IsBadData(e))
            {
                await RecordBadDataAsync(item, e, ct);
            }
        }
        return embeddingItems;
    }

    private static List<TransformBatch> Batches(TransformInput input, IReadOnlyList<TransformItem> items)
    {
        var rows = PageContent.Read(input.Payload, input.Units, items.Select(i => GitHubPrJob.Step(i.Step)).ToList());
        return items.Select(item =>
        {
            var r = rows[GitHubPrJob.Step(item.Step)];
            return new TransformBatch(item.WorkItemId, input.RunId, input.TenantId, item.Step, r.Prs, r.Commits, r.Reviews, r.Threads, r.Comments, input.EmbeddingsEnabled)
            {
                ParentPullRequests = r.ParentPrs, TimelineEvents = r.Events, Labels = r.Labels, KeptCommits = r.KeptCommits,
            };
        }).ToList();
    }

    // Bad data does not get better on a retry: it is recorded on the item for good; the rest of the run goes on.
    private Task RecordBadDataAsync(TransformItem item, Exception e, CancellationToken ct) =>
        store.RecordFailureAsync(item.WorkItemId, $"Transform of {item.Step} failed: {e.Message}", maxAttempts: 1, ct);

    private static bool IsBadData(Exception e) =>
        e is InvalidDataException or FormatException or System.Text.Json.JsonException or KeyNotFoundException;
}
