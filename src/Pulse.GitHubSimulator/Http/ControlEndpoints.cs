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
        app.MapPost("/_sim/mutate", async (HttpRequest request) =>
        {
            try
            {
                if (await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) is not JsonObject mutation)
                    return Json(Message("The body must be one JSON object."), 400);
                return Json(server.Mutate(mutation));
            }
            catch (JsonException e)
            {
                return Json(Message("The body is not JSON: " + e.Message), 400);
            }
            catch (ArgumentException e)
            {
                return Json(Message(e.Message), 400);
            }
        });
    }

    private static JsonObject Message(string text) => new() { ["message"] = text };

    private static IResult Json(JsonNode node, int status = 200) =>
        Results.Text(node.ToJsonString(GitHubBodies.Relaxed), "application/json; charset=utf-8", statusCode: status);
}
