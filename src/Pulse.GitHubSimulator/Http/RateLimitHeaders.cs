using System.Globalization;
using Microsoft.AspNetCore.Http;
using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Http;

/// <summary>The x-ratelimit-* headers GitHub sends on every GraphQL answer; reset equals rateLimit.resetAt in epoch seconds.</summary>
internal static class RateLimitHeaders
{
    public static void Write(IHeaderDictionary headers, RateLimitSnapshot limit)
    {
        headers["x-ratelimit-limit"] = Text(limit.Limit);
        headers["x-ratelimit-remaining"] = Text(limit.Remaining);
        headers["x-ratelimit-used"] = Text(limit.Used);
        headers["x-ratelimit-reset"] = Text(limit.ResetAt.ToUnixTimeSeconds());
        headers["x-ratelimit-resource"] = "graphql";
        headers["x-github-media-type"] = "github.v4; format=json";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
