using System.Text.Json.Serialization;

namespace Pulse.Core.Jobs;

/// <summary>The status JSON of a job (the seed's shape, plus progress and rate-limit resume time).</summary>
public sealed record JobStatus(
    [property: JsonPropertyName("overall")] string Overall,
    [property: JsonPropertyName("run_id")] long? RunId,
    [property: JsonPropertyName("steps")] IReadOnlyDictionary<string, StepStatus> Steps,
    [property: JsonPropertyName("rate_limit_resume_at")] DateTimeOffset? RateLimitResumeAt,
    [property: JsonPropertyName("error")] string? Error);

public sealed record StepStatus(
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("extraction")] string Extraction,
    [property: JsonPropertyName("transform")] string Transform,
    [property: JsonPropertyName("embedding")] string Embedding,
    [property: JsonPropertyName("progress")] StepProgress Progress,
    [property: JsonPropertyName("embedding_progress")] EmbedProgress EmbedProgress);

/// <summary>Items stored for a step in the current run, out of the total GitHub reported (totalCount).</summary>
public sealed record StepProgress(
    [property: JsonPropertyName("done")] long Done,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("pages")] long Pages);

/// <summary>Texts of a step queued for the embed stage in the current run (rows whose text changed), and how many are embedded.</summary>
public sealed record EmbedProgress(
    [property: JsonPropertyName("done")] long Done,
    [property: JsonPropertyName("total")] long Total);
