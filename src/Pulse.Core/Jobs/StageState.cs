namespace Pulse.Core.Jobs;

/// <summary>States of one stage of one step, as the seed's status JSON spells them.</summary>
public static class StageState
{
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
}

/// <summary>A job's overall status, as the seed's status JSON spells it.</summary>
public static class OverallStatus
{
    public const string Ready = "READY";
    public const string Running = "RUNNING";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string RateLimited = "RATE_LIMITED";
}
