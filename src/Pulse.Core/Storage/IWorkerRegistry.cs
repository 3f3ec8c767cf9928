using Pulse.Core.Jobs;

namespace Pulse.Core.Storage;

/// <summary>A process that consumes stages from a shared queue, as last seen; or one that refused to serve (at its start, or later), and why.</summary>
public sealed record WorkerPresence(string WorkerId, string Host, int ProcessId, IReadOnlySet<Stage> Stages, DateTimeOffset SeenAt, string? Refusal);

/// <summary>
/// Who works for a shared queue (distributed mode only): live workers beat, a worker that refuses to start says why,
/// so a run that nobody can serve fails naming the cause instead of waiting forever.
/// </summary>
public interface IWorkerRegistry
{
    /// <summary>Records the worker as live for its stages now (insert or refresh).</summary>
    Task BeatAsync(WorkerPresence worker, CancellationToken ct);

    /// <summary>A worker that will not start: recorded with its reason (<see cref="WorkerPresence.Refusal"/>).</summary>
    Task RefuseAsync(WorkerPresence worker, CancellationToken ct);

    /// <summary>A worker stopping cleanly leaves; a killed one just stops beating.</summary>
    Task LeaveAsync(string workerId, CancellationToken ct);

    /// <summary>Every worker seen (or refused) since <paramref name="since"/>; older rows are deleted.</summary>
    Task<IReadOnlyList<WorkerPresence>> ListAsync(DateTimeOffset since, CancellationToken ct);
}
