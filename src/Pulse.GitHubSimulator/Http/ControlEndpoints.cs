using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Pulse.GitHubSimulator.Http;

/// <summary>The test-only control surface under /_sim/ (not part of GitHub's API).</summary>
internal static class ControlEndpoints
{
    public static void Map(WebApplication app, GitHubSimulatorServer server)
    {
        app.MapGet("/_sim/stats", () => Json(server.Stats.ToJson()));
        app.MapPost("/_sim/reset", () =>
        {
            server.Reset();
            return Json(new JsonObject { ["reset"] = true });
        });
        app.MapGet("/_sim/data/counts", () =>
        {
            var counts = new JsonObject();
            foreach (var (name, count) in server.DataCounts) counts[name] = count;
            return Json(counts);
        });
        app.MapPost("/_sim/mutate", (HttpRequest request) => WithBodyAsync(request, mutation => server.Mutate(mutation)));
        // Runtime token control: {"token": "..."} (add: and optionally "user", whose budgets it shares). The answer never echoes the token.
        app.MapPost("/_sim/tokens/revoke", (HttpRequest request) =>
            WithBodyAsync(request, body => new JsonObject { ["revoked"] = server.RevokeToken(TokenOf(body)) }));
        app.MapPost("/_sim/tokens/add", (HttpRequest request) =>
            WithBodyAsync(request, body => new JsonObject { ["added"] = server.AddToken(TokenOf(body), UserOf(body)) }));
        // {"installation_id": N, "suspended": true|false (default true)}
        app.MapPost("/_sim/apps/suspend", (HttpRequest request) => WithBodyAsync(request, body => new JsonObject
        {
            ["suspended"] = server.SuspendInstallation(
                body["installation_id"] is JsonValue id && id.TryGetValue<long>(out var n) ? n : throw new ArgumentException("The body needs a number \"installation_id\"."),
                body["suspended"] is not JsonValue flag || flag.GetValue<bool>()),
        }));
        // Webhooks: the deliveries sent or dropped, and GitHub's "Redeliver" by delivery id ({"id": "..."}).
        app.MapGet("/_sim/webhooks/deliveries", () => Json(server.WebhookDeliveries));
        app.MapPost("/_sim/webhooks/redeliver", (HttpRequest request) => WithBodyAsync(request, body =>
        {
            var id = body["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw new ArgumentException("The body needs a string \"id\".");
            return server.Redeliver(id) ? new JsonObject { ["redelivered"] = id } : throw new ArgumentException($"No delivery {id} is kept.");
        }));
        app.MapPost("/_sim/repositories/delete", (HttpRequest request) =>
            WithBodyAsync(request, body => server.DeleteRepository((string?)body["owner"] ?? "", (string?)body["repo"] ?? "")));
    }

    /// <summary>Reads one JSON object and applies it; bad JSON or bad input is a 400 that says why.</summary>
    private static async Task<IResult> WithBodyAsync(HttpRequest request, Func<JsonObject, JsonObject> apply)
    {
        try
        {
            if (await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) is not JsonObject body)
                return Json(Message("The body must be one JSON object."), 400);
            return Json(apply(body));
        }
        catch (JsonException e)
        {
            return Json(Message("The body is not JSON: " + e.Message), 400);
        }
        catch (ArgumentException e)
        {
            return Json(Message(e.Message), 400);
        }
    }

    private static string TokenOf(JsonObject body) =>
        body["token"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
            : throw new ArgumentException("The body needs a string \"token\".");

    private static string? UserOf(JsonObject body) =>
        body["user"] is null ? null
        : body["user"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
        : throw new ArgumentException("\"user\" must be a string.");

    private static JsonObject Message(string text) => new() { ["message"] = text };

    private static IResult Json(JsonNode node, int status = 200) =>
        Results.Text(node.ToJsonString(GitHubBodies.Relaxed), "application/json; charset=utf-8", statusCode: status);
}
