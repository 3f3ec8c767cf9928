namespace Pulse.Core.Jobs;

/// <summary>One of the ordered steps of a job; each step runs the extract, transform and embed stages.</summary>
public sealed record PipelineStep(string Name, int Order, string DisplayName);

/// <summary>The three stages every step goes through, in this order.</summary>
public enum Stage
{
    Extract,
    Transform,
    Embed,
}

/// <summary>
/// A stage's name in the seed's status JSON ("extraction", "transform", "embedding"): the wire contract keeps the seed's
/// spelling; everywhere else (folders, types, options, the --stages flag) a stage is extract, transform or embed.
/// </summary>
public static class StageNames
{
    public static string Of(Stage stage) => stage switch
    {
        Stage.Extract => "extraction",
        Stage.Transform => "transform",
        Stage.Embed => "embedding",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    public static Stage Parse(string name) => name switch
    {
        "extraction" => Stage.Extract,
        "transform" => Stage.Transform,
        "embedding" => Stage.Embed,
        _ => throw new ArgumentException($"Unknown stage '{name}'.", nameof(name)),
    };
}
