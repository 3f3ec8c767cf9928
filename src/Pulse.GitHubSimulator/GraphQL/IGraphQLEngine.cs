using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.GraphQL;

/// <summary>
/// GitHub's GraphQL endpoint without HTTP: validation against GitHub's real schema, GitHub's
/// connection rules and cost rule, and execution over the loaded data. The HTTP host wraps it
/// with auth, rate limits, secondary limits and faults.
/// </summary>
public interface IGraphQLEngine
{
    /// <summary>
    /// Parses and validates the request, applies the connection rules (first/last, 1..100,
    /// 500,000 nodes) and computes the cost. Reads no data, so it is cheap and side-effect free.
    /// </summary>
    QueryPlan Prepare(GraphQLRequest request);

    /// <summary>Executes a plan whose <see cref="QueryPlan.Errors"/> is empty.</summary>
    ExecutionResult Execute(QueryPlan plan, ExecutionContext context);
}

public sealed record GraphQLRequest(string Query, JsonObject? Variables, string? OperationName);

/// <summary>GitHub's cost of one query: requests per connection, points = round(requests / 100), at least 1.</summary>
public readonly record struct QueryCost(long Requests, int Points, long PossibleNodes);

public abstract class QueryPlan
{
    /// <summary>Validation or connection-rule errors, in GitHub's shape; when any, the answer is 200 with only "errors".</summary>
    public abstract IReadOnlyList<JsonObject> Errors { get; }

    public abstract QueryCost Cost { get; }

    /// <summary>True when the query asks <c>rateLimit(dryRun: true)</c>: cost is reported, nothing is charged or run.</summary>
    public abstract bool DryRun { get; }
}

/// <summary>What the host knows at execution time: the account's bucket after charging, and the faults to apply.</summary>
public sealed record ExecutionContext(
    RateLimitSnapshot RateLimit,
    string? ViewerLogin,
    PartialFault Fault = PartialFault.None,
    int FaultSeed = 0)
{
    /// <summary>False on Enterprise Server with rate limiting off: <c>rateLimit</c> is null. Default true.</summary>
    public bool RateLimitEnforced { get; init; } = true;

    /// <summary>How much slower GitHub is than calibrated: every simulated duration is multiplied by it. Default 1.</summary>
    public double TimingScale { get; init; } = 1;

    /// <summary>
    /// Simulated processing (at <see cref="TimingScale"/>) after which GitHub starts no further root field and answers
    /// what it has with RESOURCE_LIMITS_EXCEEDED. Null: no limit.
    /// </summary>
    public TimeSpan? ResourceBudget { get; init; }
}

/// <summary>The values served by the <c>rateLimit</c> field (and mirrored in the x-ratelimit-* headers).</summary>
public sealed record RateLimitSnapshot(int Cost, int Limit, int Remaining, int Used, DateTimeOffset ResetAt, long NodeCount);

/// <summary>Faults the engine injects into an otherwise good answer.</summary>
public enum PartialFault
{
    None,
    /// <summary>One object in a list (a PullRequest node where there is one) comes back null with an error beside the data.</summary>
    NullNodeWithError,
    /// <summary>The first top-level field resolves to null with a NOT_FOUND error, as for a deleted repository.</summary>
    NotFound,
}

public sealed record ExecutionResult(
    /// <summary>The whole response body in GitHub's shape: {"data": ..., "errors": [...]}.</summary>
    byte[] Body,
    /// <summary>Objects actually resolved; drives the simulated processing time.</summary>
    long NodesTouched,
    /// <summary>How long GitHub would have worked on this query, at the context's timing scale (the 10-second timeout applies to it).</summary>
    TimeSpan SimulatedProcessing,
    /// <summary>True when root fields were left unanswered with RESOURCE_LIMITS_EXCEEDED.</summary>
    bool ResourceLimited = false);
