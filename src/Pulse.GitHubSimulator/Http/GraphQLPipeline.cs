using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// POST /graphql, in GitHub's order: auth → secondary limits → pre-faults → validation (free) →
/// primary limit → charge → execute → timeout (stays charged) → post-faults → real sleep.
/// </summary>
internal sealed class GraphQLPipeline(
    SimulatorOptions options, SimulatorTokens tokens, IGraphQLEngine engine, PrimaryRateLimit primary, SecondaryRateLimit secondary,
    FaultInjector faults, SimulatorStats stats, AnswerGate answers)
{
    /// <summary>The user id of GitHub's recorded RATE_LIMITED message (gitpod-io/gitpod#15377).</summary>
    private const string RecordedUserId = "1431904";
    private const string NoToken = "(none)";
    private long _requests;

    public async Task HandleAsync(HttpContext http)
    {
        var requestId = NextRequestId();
        http.Response.Headers["x-github-request-id"] = requestId;
        var token = Authenticate(http.Request.Headers.Authorization.ToString());
        if (token is null)
        {
            stats.Request(NoToken);
            stats.Error(NoToken, SimulatorStats.Kinds.Unauthorized);
            await WriteAsync(http, StatusCodes.Status401Unauthorized, GitHubBodies.BadCredentials, UnauthenticatedSnapshot());
            return;
        }

        stats.Request(token);
        if (!secondary.TryEnter(token, out var retryAfter))
        {
            stats.Error(token, SimulatorStats.Kinds.Secondary);
            await WriteSecondaryAsync(http, token, requestId, retryAfter);
            return;
        }
        var spent = TimeSpan.Zero;
        try
        {
            spent = await HandleAdmittedAsync(http, token, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            // An engine bug still gets GitHub's answer to an internal error, headers included.
            stats.Error(token, SimulatorStats.Kinds.Internal);
            http.Response.Headers.Remove("retry-after");
            await WriteAsync(http, StatusCodes.Status200OK, GitHubBodies.SomethingWentWrong(requestId), primary.Peek(token));
        }
        finally
        {
            secondary.Exit(token, spent);
        }
    }

    /// <summary>Answers an admitted request; returns the processing time really spent (for the CPU budget).</summary>
    private async Task<TimeSpan> HandleAdmittedAsync(HttpContext http, string token, string requestId)
    {
        var ct = http.RequestAborted;
        var fault = faults.Next();
        if (fault is { } preFault && await PreFaultAsync(http, token, requestId, preFault)) return TimeSpan.Zero;

        var request = await ReadRequestAsync(http.Request, ct);
        if (request is null)
        {
            stats.Error(token, SimulatorStats.Kinds.BadRequest);
            await WriteAsync(http, StatusCodes.Status400BadRequest, GitHubBodies.ProblemsParsingJson, primary.Peek(token));
            return TimeSpan.Zero;
        }

        var plan = engine.Prepare(request);
        if (plan.Errors.Count > 0)
        {
            stats.Error(token, SimulatorStats.Kinds.Validation);
            var body = GitHubBodies.Json(new JsonObject { ["errors"] = new JsonArray([.. plan.Errors.Select(e => e.DeepClone())]) });
            await WriteAsync(http, StatusCodes.Status200OK, body, primary.Peek(token));
            return TimeSpan.Zero;
        }

        var cost = plan.Cost;
        RateLimitSnapshot snapshot;
        if (plan.DryRun)
            snapshot = primary.Peek(token, cost.Points, cost.PossibleNodes);
        else if (!primary.TryCharge(token, cost.Points, cost.PossibleNodes, out snapshot))
        {
            stats.Error(token, SimulatorStats.Kinds.RateLimited);
            await WriteAsync(http, StatusCodes.Status200OK, GitHubBodies.RateLimited(RecordedUserId), snapshot with { Remaining = 0 });
            return TimeSpan.Zero;
        }
        else
            stats.Charged(token, cost.Points);

        var partial = fault switch { FaultKind.Partial => PartialFault.NullNodeWithError, FaultKind.NotFound => PartialFault.NotFound, _ => PartialFault.None };
        // The engine's own choice (which node fails) is drawn from the same seeded sequence.
        var faultSeed = partial == PartialFault.None ? 0 : faults.NextInt(int.MaxValue);
        var result = engine.Execute(plan, new GraphQL.ExecutionContext(snapshot, options.ViewerLogin, partial, faultSeed));
        stats.Nodes(token, result.NodesTouched);

        if (result.SimulatedProcessing > options.Timeout)
        {
            // GitHub stops at its timeout; the points stay charged (changelog 2025-07-21).
            stats.Error(token, SimulatorStats.Kinds.Timeout);
            var spentOnTimeout = Scaled(options.Timeout);
            await DelayAsync(spentOnTimeout + options.Latency, ct);
            var (status, timeoutBody) = TimeoutAnswer();
            await WriteAsync(http, status, timeoutBody, snapshot);
            return spentOnTimeout;
        }

        var answer = result.Body;
        if (fault is FaultKind.Partial or FaultKind.NotFound or FaultKind.Truncated)
            stats.Error(token, SimulatorStats.Kinds.Fault(fault.Value));
        if (fault == FaultKind.Truncated && answer.Length > 1)
            answer = answer[..(1 + faults.NextInt(answer.Length - 1))];

        var spent = Scaled(result.SimulatedProcessing);
        await DelayAsync(spent + options.Latency, ct);
        await WriteAsync(http, StatusCodes.Status200OK, answer, snapshot);
        return spent;
    }

    /// <summary>Faults that answer before the query is looked at; true when the request is finished.</summary>
    private async Task<bool> PreFaultAsync(HttpContext http, string token, string requestId, FaultKind fault)
    {
        var ct = http.RequestAborted;
        switch (fault)
        {
            case FaultKind.Secondary:
                stats.Error(token, SimulatorStats.Kinds.Fault(fault));
                await WriteSecondaryAsync(http, token, requestId, 60);
                return true;
            case FaultKind.BadGateway502:
            case FaultKind.GatewayTimeout504:
                stats.Error(token, SimulatorStats.Kinds.Fault(fault));
                await DelayAsync(options.Latency, ct);
                await WriteAsync(http, fault == FaultKind.BadGateway502 ? 502 : 504,
                    fault == FaultKind.BadGateway502 ? GitHubBodies.BadGateway : GitHubBodies.GatewayTimeout, primary.Peek(token));
                return true;
            case FaultKind.ConnectionReset:
                stats.Error(token, SimulatorStats.Kinds.Fault(fault));
                http.Abort();
                return true;
            case FaultKind.Slow:
                stats.Error(token, SimulatorStats.Kinds.Fault(fault));
                await DelayAsync(options.SlowAnswerDelay, ct);
                return false;
            default:
                return false;
        }
    }

    private (int Status, byte[] Body) TimeoutAnswer() =>
        faults.NextInt(2) == 0 ? (502, GitHubBodies.BadGateway) : (504, GitHubBodies.GatewayTimeout);

    private Task WriteSecondaryAsync(HttpContext http, string token, string requestId, int retryAfterSeconds)
    {
        http.Response.Headers["retry-after"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(http, StatusCodes.Status403Forbidden, GitHubBodies.SecondaryRateLimit(requestId), primary.Peek(token));
    }

    private static async Task WriteAsync(HttpContext http, int status, byte[] body, RateLimitSnapshot limit)
    {
        var response = http.Response;
        response.StatusCode = status;
        RateLimitHeaders.Write(response.Headers, limit);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, http.RequestAborted);
    }

    private string? Authenticate(string header)
    {
        var parts = header.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return null;
        if (!parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase) && !parts[0].Equals("token", StringComparison.OrdinalIgnoreCase))
            return null;
        return tokens.Accepts(parts[1]) ? parts[1] : null;
    }

    private static async Task<GraphQLRequest?> ReadRequestAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
            if (node is not JsonObject body || body["query"] is not JsonValue query || query.GetValueKind() != JsonValueKind.String)
                return null;
            var variables = body["variables"] as JsonObject;
            var operationName = body["operationName"] is JsonValue op && op.GetValueKind() == JsonValueKind.String ? op.GetValue<string>() : null;
            return new GraphQLRequest(query.GetValue<string>(), (JsonObject?)variables?.DeepClone(), operationName);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Unauthenticated answers show GitHub's unauthenticated allowance of 60 and charge nothing.</summary>
    private RateLimitSnapshot UnauthenticatedSnapshot()
    {
        var reset = DateTimeOffset.FromUnixTimeSeconds((options.TimeProvider.GetUtcNow() + options.RateWindow).ToUnixTimeSeconds());
        return new RateLimitSnapshot(0, 60, 60, 0, reset, 0);
    }

    private TimeSpan Scaled(TimeSpan simulated) => simulated * options.ProcessingTimeScale;

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        if (delay > TimeSpan.Zero) await Task.Delay(delay, options.TimeProvider, ct);
        await answers.PassAsync(ct);
    }

    /// <summary>GitHub's request-id shape (e.g. E4BD:68C6:19511C8:2E61529:6238B525), unique per request.</summary>
    private string NextRequestId()
    {
        var n = (ulong)Interlocked.Increment(ref _requests);
        var h = n * 0x9E3779B97F4A7C15UL;
        return $"{(h >> 48) & 0xFFFF:X4}:{(h >> 32) & 0xFFFF:X4}:{n:X7}:{(h >> 4) & 0xFFFFFFF:X7}:{(uint)options.Seed:X8}";
    }
}
