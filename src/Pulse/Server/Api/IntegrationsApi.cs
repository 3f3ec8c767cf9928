using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Server.Auth;
using Pulse.Server.Jobs;
using Pulse.Server.Metrics;

namespace Pulse.Server.Api;

/// <summary>
/// GitHub integrations of the caller's tenant. The token and the webhook secret are write-only: accepted, encrypted, never
/// returned (the view says only whether a secret is set). Deliveries for an integration go to /api/webhooks/github/{id}.
/// </summary>
public static class IntegrationsApi
{
    public sealed record IntegrationInput(string? GithubUrl, string? Owner, string? Token, string[]? RepositoryFilters, int? PageSize, int? FirstSyncDays,
        string? WebhookSecret = null);

    public sealed record ActiveInput(bool? Active);

    public sealed record IntegrationView(
        long Id, string Provider, string GithubUrl, string Owner, bool Active, bool HasToken, string[] RepositoryFilters, int PageSize,
        int? FirstSyncDays, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool HasWebhookSecret, string WebhookPath)
    {
        public static IntegrationView Of(Integration i) => new(i.Id, i.Provider, i.GraphQLUrl.ToString(), i.Owner, i.Active, true,
            [.. i.Settings.RepositoryFilters], i.Settings.PageSize, i.Settings.FirstSyncWindow is { } w ? (int)w.TotalDays : null, i.CreatedAt, i.UpdatedAt,
            i.HasWebhookSecret, $"{WebhooksApi.ReceivePrefix}/{i.Id}");
    }

    public static void MapIntegrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/integrations").WithTags("Integrations");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPost("/", CreateAsync);
        group.MapPut("/{id:long}", UpdateAsync);
        group.MapDelete("/{id:long}", DeleteAsync);
        group.MapPost("/{id:long}/toggle-active", ToggleAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IIntegrationStore store, CancellationToken ct) =>
        Results.Ok((await store.ListAsync(ApiKeyAuthentication.TenantOf(http), ct)).Select(IntegrationView.Of));

    private static async Task<IResult> GetAsync(long id, HttpContext http, IIntegrationStore store, CancellationToken ct) =>
        await store.GetAsync(ApiKeyAuthentication.TenantOf(http), id, ct) is { } i ? Results.Ok(IntegrationView.Of(i)) : Errors.NotFound("Integration");

    private static async Task<IResult> CreateAsync(HttpContext http, IIntegrationStore store, ISecretProtector secrets, TimeProvider time, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<IntegrationInput>(http.Request, ct);
        if (error is not null) return error;
        var reason = Validate.GitHubUrl(input!.GithubUrl, out var url) ?? Validate.Owner(input.Owner) ?? Validate.Token(input.Token)
            ?? Validate.RepositoryFilters(input.RepositoryFilters) ?? Validate.PageSize(input.PageSize) ?? Validate.FirstSyncDays(input.FirstSyncDays)
            ?? Validate.WebhookSecret(input.WebhookSecret);
        if (reason is not null) return Errors.Bad(reason);
        var settings = new IntegrationSettings
        {
            RepositoryFilters = input.RepositoryFilters ?? [],
            PageSize = input.PageSize ?? 100,
            FirstSyncWindow = input.FirstSyncDays is { } days ? TimeSpan.FromDays(days) : null,
        };
        // The first sync starts from Run Now, or one schedule interval from now.
        var created = await store.CreateAsync(ApiKeyAuthentication.TenantOf(http), url!, input.Owner!, secrets.Protect(input.Token!), settings,
            time.GetUtcNow() + JobSchedule.DefaultInterval, ct);
        if (created is null) return Errors.Conflict($"An integration for {input.Owner} at {url} already exists.");
        if (input.WebhookSecret is { Length: > 0 } secret)
        {
            await store.UpdateAsync(created.TenantId, created.Id, new IntegrationChange(null, null, null, null) { ProtectedWebhookSecret = secrets.Protect(secret) }, ct);
            created = created with { HasWebhookSecret = true };
        }
        return Results.Created($"/api/integrations/{created.Id}", IntegrationView.Of(created));
    }

    private static async Task<IResult> UpdateAsync(long id, HttpContext http, IIntegrationStore store, ISecretProtector secrets, MeteredConnections connections, CancellationToken ct)
    {
        var tenant = ApiKeyAuthentication.TenantOf(http);
        if (await store.GetAsync(tenant, id, ct) is not { } current) return Errors.NotFound("Integration");
        var (input, error) = await JsonBody.ReadAsync<IntegrationInput>(http.Request, ct);
        if (error is not null) return error;
        Uri? url = null;
        var reason = (input!.GithubUrl is null ? null : Validate.GitHubUrl(input.GithubUrl, out url)) ?? (input.Owner is null ? null : Validate.Owner(input.Owner))
            ?? (input.Token is null ? null : Validate.Token(input.Token)) ?? Validate.RepositoryFilters(input.RepositoryFilters)
            ?? Validate.PageSize(input.PageSize) ?? Validate.FirstSyncDays(input.FirstSyncDays) ?? Validate.WebhookSecret(input.WebhookSecret);
        if (reason is not null) return Errors.Bad(reason);
        var (newUrl, newOwner) = (url ?? current.GraphQLUrl, input.Owner ?? current.Owner);
        if ((await store.ListAsync(tenant, ct)).Any(i => i.Id != id && i.GraphQLUrl == newUrl && string.Equals(i.Owner, newOwner, StringComparison.Ordinal)))
            return Errors.Conflict($"An integration for {newOwner} at {newUrl} already exists.");
        var settings = input.RepositoryFilters is null && input.PageSize is null && input.FirstSyncDays is null ? null : current.Settings with
        {
            RepositoryFilters = input.RepositoryFilters ?? current.Settings.RepositoryFilters,
            PageSize = input.PageSize ?? current.Settings.PageSize,
            FirstSyncWindow = input.FirstSyncDays is { } days ? TimeSpan.FromDays(days) : current.Settings.FirstSyncWindow,
        };
        await store.UpdateAsync(tenant, id, new IntegrationChange(url, input.Owner, input.Token is null ? null : secrets.Protect(input.Token), settings)
        {
            ProtectedWebhookSecret = input.WebhookSecret switch { null => null, "" => "", var secret => secrets.Protect(secret) },
        }, ct);
        connections.Forget(id);
        return Results.Ok(IntegrationView.Of((await store.GetAsync(tenant, id, ct))!));
    }

    private static async Task<IResult> DeleteAsync(long id, HttpContext http, IIntegrationStore store, IJobStore jobs, JobRunner runner, MeteredConnections connections, CancellationToken ct)
    {
        var tenant = ApiKeyAuthentication.TenantOf(http);
        if (await store.GetAsync(tenant, id, ct) is null) return Errors.NotFound("Integration");
        if ((await jobs.ListAsync(tenant, GitHubPrJob.Name, ct)).Any(j => j.IntegrationId == id && runner.IsRunning(j.Id)))
            return Errors.Conflict("The integration's job is running; wait for it to end before deleting.");
        await store.DeleteAsync(tenant, id, ct);
        connections.Forget(id);
        return Results.NoContent();
    }

    private static async Task<IResult> ToggleAsync(long id, HttpContext http, IIntegrationStore store, CancellationToken ct)
    {
        var tenant = ApiKeyAuthentication.TenantOf(http);
        if (await store.GetAsync(tenant, id, ct) is null) return Errors.NotFound("Integration");
        var (input, error) = await JsonBody.ReadAsync<ActiveInput>(http.Request, ct);
        if (error is not null) return error;
        if (input!.Active is not { } active) return Errors.Bad("active (true or false) is required.");
        await store.SetActiveAsync(tenant, id, active, ct);
        return Results.Ok(IntegrationView.Of((await store.GetAsync(tenant, id, ct))!));
    }
}
