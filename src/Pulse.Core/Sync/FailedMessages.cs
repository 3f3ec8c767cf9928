using Microsoft.Extensions.Logging;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// A message given up after the retry policy fails its work for good, so the run's stages can end (FAILED, with the error)
/// instead of waiting for work nobody will do. Every stage's: transform and embed items directly; an extract turn's
/// checkpoints were failed by its handler on their last counted attempt.
/// </summary>
public sealed class FailedMessages(IWorkItemStore workItems, ICheckpointStore checkpoints, IWorkQueue queue,
    RunCoordinator coordinator, ILogger<FailedMessages> logger)
{
    public async Task RecordAsync(WorkMessage message, Exception error, string reason, CancellationToken ct)
    {
        switch (message.Queue)
        {
            case QueueNames.Transform:
                await workItems.RecordFailureAsync(message.ItemId, reason, maxAttempts: 1, ct);
                await coordinator.AfterCommitAsync(message.RunId, ct);
                break;
            case QueueNames.Embed:
                await workItems.RecordFailureAsync(message.ItemId, reason, maxAttempts: 1, ct);
                await coordinator.AfterCommitAsync(message.RunId, ct);
                break;
            case QueueNames.Extract:
                // The turn served the run the database chose, not necessarily the one that queued it.
                var runId = error is ExtractTurnException turn ? turn.RunId : message.RunId;
                logger.LogError("Extract turn for run {RunId} given up; its checkpoints {Checkpoints} carry the error", runId,
                    error is ExtractTurnException t ? string.Join(",", t.CheckpointIds) : "(none claimed)");
                await coordinator.AfterCommitAsync(runId, ct);
                // A turn is one of the run's messages in circulation: put one back while work is pending, so the rest goes on now.
                for (var next = await checkpoints.SettleTurnAsync(runId, handedOn: false, ct); next > 0; next--)
                    await queue.PublishAsync(new WorkMessage(QueueNames.Extract, message.TenantId, runId, 0), ct);
                break;
        }
    }
}
