using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// POST /graphql, in GitHub's order: auth → secondary limits → pre-faults → validation (free) →
/// primary limit → charge → execute (resource budget) → timeout (stays charged, plus a penalty) →
/// post-faults → real sleep. Budgets belong to the token's account: a user's tokens share them.
/// </summary>
internal sealed class GraphQLPipeline(
    SimulatorOptions options, SimulatorAccounts accounts, IGraphQLEngine engine, PrimaryRateLimit primary, SecondaryRateLimit secondary,
    FaultInjector faults, SimulatorStats stats, AnswerGate answers)
{
    private const string NoToken = "(none)";

    /// <summary>What GitHub puts in retry-after on a secondary limit, and how long a limit that fired without one holds ("at least one minute").</summary>
    private const int SecondaryRetryAfterSeconds = 60;
    private long _requests;

    public async Task HandleAsync(HttpContext http)
    {
        var requestId = NextRequestId();
        http.Response.Headers["x-github-request-id"] = requestId;
        var authorization = http.Request.Headers.Authorization.ToString();
        var (token, account) = Authenticate(authorization);
        if (account is null)
        {
            stats.Request(NoToken);
            stats.Error(NoToken, SimulatorStats.Kinds.Unauthorized);
            // No credentials at all and wrong ones get different answers from GitHub.
            var body = string.IsNullOrWhiteSpace(authorization) ? GitHubBodies.RequiresAuthentication : GitHubBodies.BadCredentials;
            await WriteAsync(http, StatusCodes.Status401Unauthorized, body, UnauthenticatedSnapshot());
            return;
        }

        stats.Request(token!, account);
        // Enterprise Server with rate limiting off keeps no limit at all.
        var retryAfter = 0;
        if (!options.EnterpriseServer && !secondary.TryEnter(account, out retryAfter))
        {
            stats.Error(token!, SimulatorStats.Kinds.Secondary);
            await WriteSecondaryAsync(http, account, requestId, StatusCodes.Status403Forbidden, retryAfter);
            return;
        }
        var spent = TimeSpan.Zero;
        try
        {
            spent = await HandleAdmittedAsync(http, token!, account, requestId);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            // An engine bug still gets GitHub's answer to an internal error, headers included.
            stats.Error(token!, SimulatorStats.Kinds.Internal);
            http.Response.Headers.Remove("retry-after");
            await WriteAsync(http, StatusCodes.Status200OK, GitHubBodies.SomethingWentWrong(requestId), primary.Peek(account));
        }
        finally
        {
            if (!options.EnterpriseServer) secondary.Exit(account, spent);
        }
    }

    /// <summary>Answers an admitted request; returns the processing time really spent (for the CPU budget).</summary>
    private async Task<TimeSpan> HandleAdmittedAsync(HttpContext http, string token, Account account, string requestId)
    {
        var ct = http.RequestAborted;
        var fault = faults.Next();
        if (fault is { } preFault && await PreFaultAsync(http, token, account, requestId, preFault)) return TimeSpan.Zero;

        var request = await ReadRequestAsync(http.Request, ct);
        if (request is null)
        {
            stats.Error(token, SimulatorStats.Kinds.BadRequest);
            await WriteAsync(http, StatusCodes.Status400BadRequest, GitHubBodies.ProblemsParsingJson, primary.Peek(account));
            return TimeSpan.Zero;
        }

        var plan = engine.Prepare(request);
        if (plan.Errors.Count > 0)
        {
            stats.Error(token, SimulatorStats.Kinds.Validation);
            var body = GitHubBodies.Json(new JsonObject { ["errors"] = new JsonArray([.. plan.Errors.Select(e => e.DeepClone())]) });
            await WriteAsync(http, StatusCodes.Status200OK, body, primary.Peek(account));
            return TimeSpan.Zero;
        }

        var cost = plan.Cost;
        RateLimitSnapshot snapshot;
        if (plan.DryRun || options.EnterpriseServer)
            snapshot = primary.Peek(account, cost.Points, cost.PossibleNodes);
        else if (!primary.TryCharge(account, cost.Points, cost.PossibleNodes, out snapshot))
        {
            stats.Error(token, SimulatorStats.Kinds.RateLimited);
            await WriteAsync(http, StatusCodes.Status200OK, GitHubBodies.RateLimited(account.RateLimitSubject), snapshot with { Remaining = 0 });
            return TimeSpan.Zero;
        }
        else
            stats.Charged(token, cost.Points);

        var partial = fault switch { FaultKind.Partial => PartialFault.NullNodeWithError, FaultKind.NotFound => PartialFault.NotFound, _ => PartialFault.None };
        // The engine's own choice (which node fails) is drawn from the same seeded sequence.
        var faultSeed = partial == PartialFault.None ? 0 : faults.NextInt(int.MaxValue);
        var result = engine.Execute(plan, new GraphQL.ExecutionContext(snapshot, account.ViewerLogin, partial, faultSeed)
        {
            RateLimitEnforced = !options.EnterpriseServer,
            TimingScale = options.TimingScale,
            ResourceBudget = plan.DryRun ? null : options.ResourceBudget,
        });
        stats.Nodes(token, result.NodesTouched);
        stats.Processing(token, result.SimulatedProcessing > options.Timeout ? options.Timeout : result.SimulatedProcessing);

        if (result.SimulatedProcessing > options.Timeout)
        {
            // GitHub stops at its timeout: the points stay charged and more are deducted (changelog 2025-07-21; docs, Timeouts).
            stats.Error(token, SimulatorStats.Kinds.Timeout);
            if (!options.EnterpriseServer) stats.Charged(token, primary.Deduct(account, options.TimeoutPenaltyPoints));
            var spentOnTimeout = Scaled(options.Timeout);
            await DelayAsync(spentOnTimeout + options.Latency, ct);
            // The gateway's answer: GitHub's body, and no rate-limit headers.
            await WriteAsync(http, StatusCodes.Status502BadGateway, GitHubBodies.TimedOut(requestId), limit: null);
            return spentOnTimeout;
        }

        var answer = result.Body;
        if (result.ResourceLimited) stats.Error(token, SimulatorStats.Kinds.ResourceLimits);
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
    private async Task<bool> PreFaultAsync(HttpContext http, string token, Account account, string requestId, FaultKind fault)
    {
        var ct = http.RequestAborted;
        switch (fault)
        {
            case FaultKind.Secondary:
                // "You may also encounter a secondary rate limit for undisclosed reasons": 200 or 403, retry-after or not.
                stats.Error(token, SimulatorStats.Kinds.Fault(fault));
                var status = faults.NextInt(2) == 0 ? StatusCodes.Status403Forbidden : StatusCodes.Status200OK;
                int? retryAfter = faults.NextInt(2) == 0 ? SecondaryRetryAfterSeconds : null;
                // The limit holds as long as it says, or the minute GitHub tells clients to wait without a retry-after.
                secondary.Block(account, TimeSpan.FromSeconds(retryAfter ?? SecondaryRetryAfterSeconds));
                await WriteSecondaryAsync(http, account, requestId, status, retryAfter);
                return true;
            case FaultKind.BadGateway502:
            case FaultKind.GatewayTimeout504:
                stats.Error(token, SimulatorStats.Kinds.Fault(fault));
                await DelayAsync(options.Latency, ct);
                await WriteAsync(http, fault == FaultKind.BadGateway502 ? 502 : 504,
                    fault == FaultKind.BadGateway502 ? GitHubBodies.TimedOut(requestId) : GitHubBodies.GatewayTimeout, limit: null);
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

    private Task WriteSecondaryAsync(HttpContext http, Account account, string requestId, int status, int? retryAfterSeconds)
    {
        if (retryAfterSeconds is { } seconds)
            http.Response.Headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(http, status, GitHubBodies.SecondaryRateLimit(requestId), primary.Peek(account));
    }

    private async Task WriteAsync(HttpContext http, int status, byte[] body, RateLimitSnapshot? limit)
    {
        var response = http.Response;
        response.StatusCode = status;
        if (limit is not null && !options.EnterpriseServer) RateLimitHeaders.Write(response.Headers, limit);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>The token of "bearer T" or "token T", and the account it acts for (null when GitHub would not accept it).</summary>
    private (string? Token, Account? Account) Authenticate(string header)
    {
        var parts = header.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return (null, null);
        if (!parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase) && !parts[0].Equals("token", StringComparison.OrdinalIgnoreCase))
            return (null, null);
        return (parts[1], accounts.Authenticate(parts[1]));
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

    /// <summary>Real time = simulated time (already at the timing scale) × the sleep scale.</summary>
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
