namespace Pulse.Core.Extract;

/// <summary>
/// A turn failed for a reason other than GitHub's answer (a token this key cannot decrypt, a database error, a bug).
/// Its claims went back with the attempt counted; if the message is given up, the worker records these checkpoints failed.
/// </summary>
public sealed class ExtractTurnException(long runId, IReadOnlyList<long> checkpointIds, Exception cause)
    : Exception($"Extract turn of run {runId} failed: {cause.Message}", cause)
{
    public long RunId { get; } = runId;
    public IReadOnlyList<long> CheckpointIds { get; } = checkpointIds;
}
