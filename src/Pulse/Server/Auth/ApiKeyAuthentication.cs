using Pulse.Core.Storage;

namespace Pulse.Server.Auth;

/// <summary>
/// Every /api and /ws request carries a key (Authorization: Bearer, or ?access_token= on /ws where
/// browsers cannot set headers), except GitHub's webhook deliveries, which are signed instead. A tenant key scopes the request to its tenant; the admin key only
/// reaches /api/admin.
/// </summary>
public sealed class ApiKeyAuthentication(RequestDelegate next, ITenantStore keys, ServerOptions options)
{
    private const string TenantItem = "pulse.tenant";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        // GitHub cannot send an API key: a delivery's signature under its integration's secret authenticates it (WebhooksApi).
        if ((!path.StartsWithSegments("/api") && !path.StartsWithSegments("/ws")) || (path.StartsWithSegments(Api.WebhooksApi.ReceivePrefix) && HttpMethods.IsPost(context.Request.Method)))
        {
            await next(context);
            return;
        }
        var key = BearerOf(context);
        if (string.IsNullOrEmpty(key))
        {
            await Deny(context, 401, "Missing API key: send 'Authorization: Bearer <key>'.");
            return;
        }
        var isAdmin = options.AdminKey is { Length: > 0 } admin && ApiKeys.SameSecret(key, admin);
        if (path.StartsWithSegments("/api/admin"))
        {
            if (isAdmin) await next(context);
            else await Deny(context, 403, "This endpoint needs the admin key.");
            return;
        }
        var tenant = isAdmin ? null : await keys.FindTenantAsync(ApiKeys.Hash(key), context.RequestAborted);
        if (tenant is null)
        {
            await Deny(context, 401, isAdmin ? "The admin key only manages tenants and keys; use a tenant's key here." : "Unknown API key.");
            return;
        }
        context.Items[TenantItem] = tenant.Value;
        await next(context);
    }

    public static long TenantOf(HttpContext context) => (long)context.Items[TenantItem]!;

    private static string? BearerOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return context.Request.Path.StartsWithSegments("/ws") ? context.Request.Query["access_token"].ToString() : null;
    }

    private static Task Deny(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = reason });
    }
}
