using System.Text.Json;

namespace Pulse.Core.GitHub;

/// <summary>One error of a GraphQL answer; <see cref="Path"/> names the alias it belongs to.</summary>
public sealed record GraphQLError(string Message, string? Type, IReadOnlyList<string> Path);

/// <summary>The rate-limit view after a request, from the x-ratelimit-* headers.</summary>
public sealed record RateLimitInfo(int Limit, int Remaining, int Used, DateTimeOffset ResetAt);

/// <summary>A successful (possibly partial) answer: data plus any errors that came beside it.</summary>
public sealed class GraphQLResponse(byte[] body, JsonDocument document, IReadOnlyList<GraphQLError> errors, RateLimitInfo? rateLimit, DateTimeOffset? serverDate) : IDisposable
{
    /// <summary>The body exactly as received (UTF-8), stored raw: kept as bytes, it is never transcoded to UTF-16 and back.</summary>
    public byte[] Body { get; } = body;
    public JsonElement Data => document.RootElement.GetProperty("data");
    public IReadOnlyList<GraphQLError> Errors { get; } = errors;
    public RateLimitInfo? RateLimit { get; } = rateLimit;

    /// <summary>GitHub's clock (the Date header): incremental windows are measured on it, not on ours.</summary>
    public DateTimeOffset? ServerDate { get; } = serverDate;

    public int? Cost => Data.TryGetProperty("rateLimit", out var rl) && rl.ValueKind == JsonValueKind.Object
        && rl.TryGetProperty("cost", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;

    public void Dispose() => document.Dispose();
}
