using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Core.Webhooks;
using Pulse.Server.Auth;
using Pulse.Server.Metrics;

namespace Pulse.Server.Api;

/// <summary>
/// GitHub's webhook deliveries, per integration. The receiving path takes no API key (GitHub cannot send one): the signature
/// under the integration's secret is its authentication, and a bad or missing one is refused with 401, counted, and nothing
/// stored. A good delivery is stored and answered at once; the work happens afterwards (<see cref="WebhookProcessor"/>).
/// </summary>
public static class WebhooksApi
{
    public const string ReceivePrefix = "/api/webhooks/github";

    public sealed record DeliveryView(long Id, long IntegrationId, string DeliveryId, string Event, string? Action, DateTimeOffset ReceivedAt,
        string Status, string? Error, int Attempts, DateTimeOffset? FinishedAt);

    public static void MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(ReceivePrefix + "/{integrationId:long}", ReceiveAsync).WithTags("Webhooks");
        app.MapGet("/api/webhooks/deliveries", ListAsync).WithTags("Webhooks");
    }

    private static async Task<IResult> ReceiveAsync(long integrationId, HttpContext http, IWebhookDeliveryStore store, ISecretProtector secrets,
        WebhookProcessor processor, WebhookOptions options, PulseMetrics metrics, CancellationToken ct)
    {
        var body = await ReadBoundedAsync(http, options.MaxBodyBytes, ct);
        if (body is null)
        {
            metrics.WebhookRejections.Add(1, new KeyValuePair<string, object?>("reason", "too_large"));
            return Results.Json(new { error = $"The body is larger than {options.MaxBodyBytes} bytes." }, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        // An unknown integration, one without a secret and a wrong signature answer alike: the path reveals no integration.
        var secret = await store.FindSecretAsync(integrationId, ct);
        if (secret is null || !WebhookSignature.IsValid(body, secrets.Unprotect(secret.ProtectedSecret), http.Request.Headers[WebhookSignature.Header]))
        {
            metrics.WebhookRejections.Add(1, new KeyValuePair<string, object?>("reason", "signature"));
            return Results.Json(new { error = $"Missing or bad {WebhookSignature.Header}." }, statusCode: StatusCodes.Status401Unauthorized);
        }
        var eventName = http.Request.Headers["X-GitHub-Event"].ToString();
        var deliveryId = http.Request.Headers["X-GitHub-Delivery"].ToString();
        if (eventName.Length is 0 or > 100 || deliveryId.Length is 0 or > 100)
            return Errors.Bad("X-GitHub-Event and X-GitHub-Delivery are required (at most 100 characters each).");
        string? action;
        try
        {
            action = WebhookEvents.ActionOf(body);
        }
        catch (JsonException)
        {
            return Errors.Bad("The body is not a JSON object.");
        }
        var status = WebhookEvents.Handled.Contains(eventName) ? WebhookStatus.Pending : WebhookStatus.Ignored;
        var stored = await store.RecordAsync(new NewWebhookDelivery(secret.TenantId, integrationId, deliveryId, eventName, action, body, status), ct);
        metrics.WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", stored ? status : "duplicate"));
        if (!stored) return Results.Ok(new { delivery = deliveryId, duplicate = true });
        if (status == WebhookStatus.Pending) processor.Notify();
        return Results.Accepted(value: new { delivery = deliveryId, status });
    }

    /// <summary>The body, or null when it is larger than <paramref name="max"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContext http, long max, CancellationToken ct)
    {
        if (http.Request.ContentLength > max) return null;
        // Kestrel's own cap (30 MB by default) must not refuse first with a bare 413 of its own.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = max + 1;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max) return null;
        }
        return buffer.ToArray();
    }

    private static async Task<IResult> ListAsync(HttpContext http, IWebhookDeliveryStore store, CancellationToken ct)
    {
        var status = http.Request.Query["status"].ToString() is { Length: > 0 } s ? s : null;
        if (status is not null && !WebhookStatus.All.Contains(status)) return Errors.Bad($"status must be one of {string.Join(", ", WebhookStatus.All)}.");
        var limit = 50;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, out limit) || limit is < 1 or > 500))
            return Errors.Bad("limit must be a whole number from 1 to 500.");
        var list = await store.ListAsync(ApiKeyAuthentication.TenantOf(http), status, limit, ct);
        return Results.Ok(list.Select(d => new DeliveryView(d.Id, d.IntegrationId, d.DeliveryId, d.Event, d.Action, d.ReceivedAt, d.Status, d.Error, d.Attempts, d.FinishedAt)));
    }
}
