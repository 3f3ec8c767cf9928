using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulse.Core.GitHub.Auth;

namespace Pulse.Core.GitHub;

/// <summary>
/// Sends one GraphQL request and classifies the answer. It never retries, with one exception: a 401 to a token its source
/// can renew (an App installation's) is sent once more with the fresh token. Other retries are the extractor's job,
/// because a retry after a timeout must send a smaller query.
/// </summary>
public sealed class GitHubGraphQLClient(HttpClient http, Uri endpoint, IGitHubTokenSource tokens)
{
    public GitHubGraphQLClient(HttpClient http, Uri endpoint, string token) : this(http, endpoint, new PersonalToken(token))
    {
    }

    public Uri Endpoint { get; } = endpoint;

    public async Task<GraphQLResponse> SendAsync(string query, JsonObject variables, CancellationToken ct)
    {
        var payload = new JsonObject { ["query"] = query, ["variables"] = variables.DeepClone() }.ToJsonString();
        var token = await tokens.GetAsync(ct);
        var (response, body) = await PostAsync(payload, token, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized && await tokens.RenewAfterRejectionAsync(token, ct))
        {
            response.Dispose();
            (response, body) = await PostAsync(payload, await tokens.GetAsync(ct), ct);
        }
        using (response)
        {
            var rateLimit = ReadRateLimitHeaders(response);
            return Classify(response, body, rateLimit);
        }
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> PostAsync(string payload, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        request.Headers.UserAgent.ParseAdd("pulse-etl/1.0");
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return (response, await response.Content.ReadAsByteArrayAsync(ct));
        }
        catch (HttpRequestException e)
        {
            throw new GitHubTransientException("reset", $"Connection to {Endpoint.Host} failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new GitHubTransientException("reset", $"Connection to {Endpoint.Host} was reset: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new GitHubTransientException("timeout", $"No answer from {Endpoint.Host} within {http.Timeout.TotalSeconds:0} s.", e);
        }
    }

    private static GraphQLResponse Classify(HttpResponseMessage response, byte[] body, RateLimitInfo? rateLimit)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new GitHubAuthException("GitHub rejected the token (401 Bad credentials): it is unknown, expired or revoked; update the integration's token and run again.");
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)
        {
            if (IsSecondaryLimit(response, body)) throw SecondaryLimit(response, rateLimit, status);
            if (rateLimit is { Remaining: 0 })
                throw new GitHubRateLimitedException(rateLimit.ResetAt, $"GitHub rate limit exhausted ({status}) until {rateLimit.ResetAt:O}.");
            throw new GitHubAuthException($"GitHub refused the request ({status}): {Truncate(body)}");
        }
        if (status is 502 or 503 or 504)
            throw new GitHubTransientException(status == 503 ? "502" : status.ToString(CultureInfo.InvariantCulture), $"GitHub answered {status}: the query took too long or the service is busy.");
        if (status != 200)
            throw new GitHubTransientException(status.ToString(CultureInfo.InvariantCulture), $"GitHub answered HTTP {status}: {Truncate(body)}");

        JsonDocument document;
        try
        {
            // The document reads the body's bytes in place: no copy, no transcoding.
            document = JsonDocument.Parse(body.AsMemory());
        }
        catch (JsonException e)
        {
            throw new GitHubTransientException("malformed", $"GitHub's answer is not complete JSON ({body.Length} bytes): {e.Message}", e);
        }

        var errors = ReadErrors(document.RootElement);
        var rateLimitedError = errors.FirstOrDefault(e => e.Type is "RATE_LIMITED" or "RATE_LIMIT");
        var hasData = document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object;
        if (rateLimitedError is not null)
        {
            document.Dispose();
            // x-ratelimit-remaining may not be 0 on this error (octokit/plugin-throttling.js#636): trust the error.
            var resetAt = rateLimit?.ResetAt ?? DateTimeOffset.UtcNow.AddMinutes(1);
            throw new GitHubRateLimitedException(resetAt, $"GitHub rate limit exhausted until {resetAt:O}: {rateLimitedError.Message}");
        }
        if (!hasData)
        {
            document.Dispose();
            // "If you exceed a secondary rate limit, the response status will be 200 or 403" (GitHub's docs).
            if (IsSecondaryLimit(response, body)) throw SecondaryLimit(response, rateLimit, status);
            var first = errors.FirstOrDefault()?.Message ?? Truncate(body);
            throw new GitHubQueryException($"GitHub refused the query: {first}");
        }
        return new GraphQLResponse(body, document, errors, rateLimit, response.Headers.Date);
    }

    private static bool IsSecondaryLimit(HttpResponseMessage response, byte[] body) =>
        response.Headers.RetryAfter is not null || Encoding.UTF8.GetString(body).Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase);

    private static GitHubSecondaryLimitException SecondaryLimit(HttpResponseMessage response, RateLimitInfo? rateLimit, int status)
    {
        var wait = SecondaryWait(response, rateLimit);
        return new GitHubSecondaryLimitException(wait, $"GitHub secondary rate limit ({status}); retry after {wait.TotalSeconds:0} s.");
    }

    /// <summary>GitHub's rule: retry-after when present; else until x-ratelimit-reset when remaining is 0; else at least a minute.</summary>
    private static TimeSpan SecondaryWait(HttpResponseMessage response, RateLimitInfo? rateLimit)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta) return delta;
        if (retryAfter?.Date is { } date) return date - DateTimeOffset.UtcNow;
        if (rateLimit is { Remaining: 0 } spent && spent.ResetAt > DateTimeOffset.UtcNow) return spent.ResetAt - DateTimeOffset.UtcNow;
        return TimeSpan.FromMinutes(1);
    }

    private static RateLimitInfo? ReadRateLimitHeaders(HttpResponseMessage response)
    {
        static int? Int(HttpResponseMessage r, string name) =>
            r.Headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var v) ? v : null;

        var limit = Int(response, "x-ratelimit-limit");
        var remaining = Int(response, "x-ratelimit-remaining");
        var reset = Int(response, "x-ratelimit-reset");
        if (limit is null || remaining is null || reset is null) return null;
        return new RateLimitInfo(limit.Value, remaining.Value, Int(response, "x-ratelimit-used") ?? limit.Value - remaining.Value,
            DateTimeOffset.FromUnixTimeSeconds(reset.Value));
    }

    private static List<GraphQLError> ReadErrors(JsonElement root)
    {
        var list = new List<GraphQLError>();
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return list;
        foreach (var e in errors.EnumerateArray())
        {
            var message = e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            var type = e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var path = new List<string>();
            if (e.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.Array)
                path.AddRange(p.EnumerateArray().Select(x => x.ToString()));
            list.Add(new GraphQLError(message, type, path));
        }
        return list;
    }

    private static string Truncate(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 800));
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
