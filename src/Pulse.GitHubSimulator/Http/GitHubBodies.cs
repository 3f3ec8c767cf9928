using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Http;

/// <summary>GitHub's own error bodies, as recorded (see shared/github/LIMITS.md).</summary>
internal static class GitHubBodies
{
    public static byte[] BadCredentials =>
        Json(new JsonObject { ["message"] = "Bad credentials", ["documentation_url"] = "https://docs.github.com/graphql", ["status"] = "401" });

    /// <summary>No Authorization header at all (recorded by tap-github's troubleshooting notes).</summary>
    public static byte[] RequiresAuthentication => Json(new JsonObject
    {
        ["message"] = "This endpoint requires you to be authenticated.",
        ["documentation_url"] = "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql",
    });

    public static byte[] ProblemsParsingJson =>
        Json(new JsonObject { ["message"] = "Problems parsing JSON", ["documentation_url"] = "https://docs.github.com/graphql", ["status"] = "400" });

    public static byte[] SecondaryRateLimit(string requestId) => Json(new JsonObject
    {
        ["documentation_url"] = "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        ["message"] = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
                      $"If you reach out to GitHub Support for help, please include the request ID {requestId}.",
    });

    /// <param name="subject">"user ID 1431904" (or, for an App installation, "installation ID N").</param>
    public static byte[] RateLimited(string subject) => Json(new JsonObject
    {
        ["errors"] = new JsonArray(new JsonObject { ["type"] = "RATE_LIMITED", ["message"] = $"API rate limit exceeded for {subject}." }),
    });

    public static byte[] SomethingWentWrong(string requestId) => Json(new JsonObject
    {
        ["data"] = null,
        ["errors"] = new JsonArray(new JsonObject
        {
            ["message"] = $"Something went wrong while executing your query. Please include `{requestId}` when reporting this issue.",
        }),
    });

    /// <summary>A query GitHub stopped at its timeout: 502, data null beside this error (issue 12, row 8b).</summary>
    public static byte[] TimedOut(string requestId) => Json(new JsonObject
    {
        ["data"] = null,
        ["errors"] = new JsonArray(new JsonObject
        {
            ["message"] = "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. " +
                          $"Please include `{requestId}` when reporting this issue.",
        }),
    });

    public const string TimeoutMessage =
        "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.";

    /// <summary>504: the gateway's REST-style shape.</summary>
    public static byte[] GatewayTimeout => Json(new JsonObject
    {
        ["message"] = TimeoutMessage, ["documentation_url"] = "https://docs.github.com/graphql",
    });

    /// <summary>GitHub writes apostrophes and non-ASCII text unescaped.</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed));
}
