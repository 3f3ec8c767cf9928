namespace Pulse.Core.Jobs;

/// <summary>One of the ordered steps of a job; each step runs extraction, transform and embedding.</summary>
public sealed record PipelineStep(string Name, int Order, string DisplayName);

/// <summary>The three stages every step goes through, in this order.</summary>
public enum Stage
{
    Extraction,
    Transform,
    Embedding,
}

public static class StageNames
{
    public static string Of(Stage stage) => stage switch
    {
        Stage.Extraction => "extraction",
        Stage.Transform => "transform",
        Stage.Embedding => "embedding",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    public static Stage Parse(string name) => name switch
    {
        "extraction" => Stage.Extraction,
        "transform" => Stage.Transform,
        "embedding" => Stage.Embedding,
        _ => throw new ArgumentException($"Unknown stage '{name}'.", nameof(name)),
    };
}
