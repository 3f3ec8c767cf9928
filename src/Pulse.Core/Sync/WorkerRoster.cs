using Microsoft.Extensions.Options;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Core.Sync;

/// <summary>
/// Distributed mode: whether a run has a live worker for every stage it needs that this process does not run itself.
/// A worker that refused to serve (e.g. another PULSE_SECRET_KEY at its start, or a schema a newer Pulse migrated while it ran) fails the run at once; none at all, after
/// <see cref="PipelineOptions.WorkerWait"/> since the run was last served (so a database restart that delays the beats,
/// or workers replaced one by one, do not fail a run that has workers).
/// </summary>
public sealed class WorkerRoster(IWorkerRegistry registry, IOptions<PipelineOptions> options, TimeProvider time)
{
    /// <summary>How often a worker beats; one unseen for three beats is gone (killed, or its host lost).</summary>
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Live = 3 * Beat;

    /// <summary>A refusal this recent explains missing workers (a user who just started them and saw them exit).</summary>
    private static readonly TimeSpan RecentRefusal = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether every stage the run needs has a live worker now (<see cref="WorkerCheck.Served"/>), else why the run cannot
    /// go on, or neither while it may yet (<paramref name="lastServed"/>: when it last was, or when watching began).
    /// </summary>
    public async Task<WorkerCheck> CheckAsync(RunRecord run, DateTimeOffset watchingSince, DateTimeOffset lastServed, CancellationToken ct)
    {
        var needed = new List<Stage> { Stage.Extract, Stage.Transform };
        if (run.EmbeddingsEnabled) needed.Add(Stage.Embed);
        needed.RemoveAll(options.Value.Stages.Contains);   // what this process runs itself
        if (needed.Count == 0) return WorkerCheck.Serving;

        var now = time.GetUtcNow();
        var seen = await registry.ListAsync(now - RecentRefusal - options.Value.WorkerWait, ct);
        var live = seen.Where(w => w.Refusal is null && w.SeenAt >= now - Live).ToList();
        var missing = needed.Where(s => !live.Any(w => w.Stages.Contains(s))).Select(s => s.ToString().ToLowerInvariant()).ToList();
        if (missing.Count == 0) return WorkerCheck.Serving;

        var stages = $"no live pulse worker runs the {string.Join(" and ", missing)} stage{(missing.Count > 1 ? "s" : "")}";
        if (seen.Where(w => w.Refusal is not null && w.SeenAt >= watchingSince - RecentRefusal).MaxBy(w => w.SeenAt) is { } refused)
            return new WorkerCheck(false, $"{stages}: the worker on {refused.Host} (pid {refused.ProcessId}) refused to serve: {refused.Refusal}");
        if (now - lastServed < options.Value.WorkerWait) return WorkerCheck.Waiting;
        return new WorkerCheck(false,
            $"{stages} (waited {options.Value.WorkerWait.TotalSeconds:0} s): start `pulse worker --database ... --queue ...` with the same PULSE_SECRET_KEY");
    }
}

/// <summary>A run's workers: all there (<paramref name="Served"/>), missing for good (<paramref name="Failure"/>), or neither yet.</summary>
public sealed record WorkerCheck(bool Served, string? Failure)
{
    public static readonly WorkerCheck Serving = new(true, null);
    public static readonly WorkerCheck Waiting = new(false, null);
}
