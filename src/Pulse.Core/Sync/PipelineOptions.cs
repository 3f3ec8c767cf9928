using System.ComponentModel.DataAnnotations;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Core.Sync;

/// <summary>What the pipeline of one process runs, and how it watches a run; checked when the process starts.</summary>
public sealed class PipelineOptions
{
    public static readonly IReadOnlySet<Stage> AllStages = new HashSet<Stage> { Stage.Extract, Stage.Transform, Stage.Embed };

    /// <summary>Stage consumers this process runs. Default all three; none when other processes run them.</summary>
    public IReadOnlySet<Stage> Stages { get; set; } = AllStages;

    /// <summary>Consumers of the extract queue. Default 2.</summary>
    [Range(1, 64)]
    public int ExtractWorkers { get; set; } = 2;

    /// <summary>Consumers of the transform queue. Default 2.</summary>
    [Range(1, 64)]
    public int TransformWorkers { get; set; } = 2;

    /// <summary>Consumers of the embed queue. Default 1.</summary>
    [Range(1, 64)]
    public int EmbedWorkers { get; set; } = 1;

    /// <summary>How often the watchdog reads a run it watches (and reports its progress). Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>With a shared queue: how long a run may show no progress before its open work is queued again. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan QuietTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With a shared queue: how long a run waits for a live <c>pulse worker</c> of each stage it needs before it fails,
    /// naming the stage. Default 30 s. A worker that refused to serve fails the run at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WorkerWait { get; set; } = TimeSpan.FromSeconds(30);

    public ExtractOptions Extract { get; set; } = new();

    /// <summary>The checks data annotations cannot express; null when the options hold together.</summary>
    internal string? Check() =>
        Extract.Lease < TimeSpan.FromSeconds(5) ? $"the extract lease must be at least 5 s, not {Extract.Lease.TotalSeconds:0.###} s."
        : Extract.MaxAttempts < 1 ? "the extract stage needs at least 1 attempt."
        : Extract.InitialBackoff <= TimeSpan.Zero || Extract.MaxBackoff < Extract.InitialBackoff ? "the extract back-off must be positive and at most its maximum."
        : null;
}
