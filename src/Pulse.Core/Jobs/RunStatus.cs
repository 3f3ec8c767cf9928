namespace Pulse.Core.Jobs;

/// <summary>States of one run of a job.</summary>
public static class RunStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
