namespace Pulse.Core.Sync;

/// <summary>
/// Why this process stopped serving of its own accord (<see cref="PipelineService"/>), for its command's last line and exit
/// code; null while it serves, and when it was asked to stop (Ctrl+C, SIGTERM).
/// </summary>
public sealed class PipelineStop
{
    public string? Reason { get; internal set; }
}
