using Pulse.Core.Jobs;

namespace Pulse.Cli;

/// <summary>Parses --stages: a comma list of extract, transform, embed; "none" for no stage consumers.</summary>
public static class StageOption
{
    public static readonly IReadOnlySet<Stage> All = new HashSet<Stage> { Stage.Extract, Stage.Transform, Stage.Embed };

    public static HashSet<Stage> Parse(string value) => string.Equals(value.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? []
        : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant() switch
            {
                "extract" or "extraction" => Stage.Extract,
                "transform" => Stage.Transform,
                "embed" or "embedding" => Stage.Embed,
                _ => throw new ArgumentException($"--stages: unknown stage '{s}' (extract, transform, embed, or none)."),
            }).ToHashSet();
}
