using Pulse.Core.Storage;
using Pulse.Server.Auth;

namespace Pulse.Server.Api;

/// <summary>With the admin key: tenants and their API keys. A key is shown once, at creation.</summary>
public static class AdminApi
{
    public sealed record TenantInput(string? Name);

    public sealed record KeyInput(string? Name);

    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").WithTags("Admin");
        group.MapPost("/tenants", async (HttpContext http, ITenantStore keys, CancellationToken ct) =>
        {
            var (input, error) = await JsonBody.ReadAsync<TenantInput>(http.Request, ct);
            if (error is not null) return error;
            var name = input!.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 100) return Errors.Bad("name is required (at most 100 characters).");
            return await keys.CreateTenantAsync(name, ct) is { } tenant
                ? Results.Created($"/api/admin/tenants/{tenant.Id}", new { id = tenant.Id, name = tenant.Name })
                : Errors.Conflict($"A tenant named '{name}' already exists.");
        });
        group.MapPost("/tenants/{id:long}/keys", async (long id, HttpContext http, ITenantStore keys, CancellationToken ct) =>
        {
            if (await keys.GetTenantAsync(id, ct) is null) return Errors.NotFound("Tenant");
            var (input, error) = await JsonBody.ReadAsync<KeyInput>(http.Request, ct);
            if (error is not null) return error;
            var name = input!.Name?.Trim() is { Length: > 0 } n ? n : "default";
            if (name.Length > 100) return Errors.Bad("name must be at most 100 characters.");
            var key = ApiKeys.NewKey();
            var record = await keys.AddKeyAsync(id, name, ApiKeys.Hash(key), ApiKeys.Display(key), ct);
            return Results.Created($"/api/admin/tenants/{id}/keys/{record.Id}", new { id = record.Id, tenant_id = id, name, prefix = record.Prefix, key });
        });
    }

    /// <summary>Who the caller's key belongs to: the dashboard's sign-in check.</summary>
    public static void MapMeApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/me", async (HttpContext http, ITenantStore keys, CancellationToken ct) =>
            await keys.GetTenantAsync(ApiKeyAuthentication.TenantOf(http), ct) is { } t ? Results.Ok(new { tenant_id = t.Id, tenant_name = t.Name }) : Errors.NotFound("Tenant"))
            .WithTags("Tenants");
}
