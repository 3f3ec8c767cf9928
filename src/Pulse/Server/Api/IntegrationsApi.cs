using Pulse.Core.GitHub.Auth;
using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Storage;
using Pulse.Server.Auth;
using Pulse.Server.Jobs;
using Pulse.Server.Metrics;

namespace Pulse.Server.Api;

/// <summary>
/// GitHub integrations of the caller's tenant. Tokens, App keys and the webhook secret are write-only: accepted, encrypted,
/// never returned (the view says only whether a secret is set). Deliveries for an integration go to /api/webhooks/github/{id}.
/// </summary>
public static class IntegrationsApi
{
    /// <summary>Sign-in is one of: <c>token</c> or <c>tokens</c> (personal tokens), or <c>app_id</c> + <c>app_private_key</c> + <c>installation_id</c>.</summary>
    public sealed record IntegrationInput(string? GithubUrl, string? Owner, string? Token, string[]? RepositoryFilters, int? PageSize, int? FirstSyncDays,
        string[]? Tokens = null, long? AppId = null, string? AppPrivateKey = null, long? InstallationId = null, string[]? BotLogins = null, string? WebhookSecret = null)
    {
        public bool HasCredentials => Token is not null || Tokens is not null || AppId is not null || AppPrivateKey is not null || InstallationId is not null;
    }

    public sealed record ActiveInput(bool? Active);

    /// <summary>An integration as shown: its sign-in kind and GitHub accounts' budgets, never a token or key.</summary>
    public sealed record IntegrationView(
        long Id, string Provider, string GithubUrl, string Owner, bool Active, bool HasToken, string[] RepositoryFilters, int PageSize,
        int? FirstSyncDays, string[] BotLogins, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string Auth, IReadOnlyList<AccountView> Accounts,
        bool HasWebhookSecret, string WebhookPath);

    /// <summary>One GitHub account's budget as this server last saw it; <c>rate_limit</c> "not enforced" on Enterprise Server without one.</summary>
    public sealed record AccountView(string Account, string Status, int? Remaining, int? Limit, DateTimeOffset? ResetAt, string RateLimit);

    private static IntegrationView View(Integration i, ISecretProtector secrets, MeteredConnections connections) => new(i.Id, i.Provider,
        i.GraphQLUrl.ToString(), i.Owner, i.Active, true, [.. i.Settings.RepositoryFilters], i.Settings.PageSize,
        i.Settings.FirstSyncWindow is { } w ? (int)w.TotalDays : null, [.. i.Settings.BotLogins], i.CreatedAt, i.UpdatedAt, AuthKind(i, secrets),
        [.. connections.Accounts(i.Id).Select(a => new AccountView(a.Name, a.Status, a.Budget.Current?.Remaining, a.Budget.Current?.Limit, a.Budget.Current?.ResetAt,
            a.RateLimitEnforced switch { true => "enforced", false => "not enforced", null => "unknown" }))],
        i.HasWebhookSecret, $"{WebhooksApi.ReceivePrefix}/{i.Id}");

    private static string AuthKind(Integration i, ISecretProtector secrets)
    {
        try
        {
            return GitHubCredentials.Deserialize(secrets.Unprotect(i.ProtectedToken)).Kind;
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException or System.Text.Json.JsonException)
        {
            return "unreadable";
        }
    }

    /// <summary>The sign-in the input gives, or the reason it is refused; null credentials when it gives none.</summary>
    private static string? Credentials(IntegrationInput input, out GitHubCredentials? credentials)
    {
        credentials = null;
        var app = input.AppId is not null || input.AppPrivateKey is not null || input.InstallationId is not null;
        var tokens = input.Tokens ?? (input.Token is null ? null : [input.Token]);
        if (app && tokens is not null) return "Give either token(s) or a GitHub App (app_id, app_private_key, installation_id), not both.";
        if (input.Token is not null && input.Tokens is not null) return "Give token or tokens, not both.";
        try
        {
            if (app)
            {
                if (input.AppId is not { } appId || string.IsNullOrWhiteSpace(input.AppPrivateKey) || input.InstallationId is not { } installation)
                    return "A GitHub App needs app_id, app_private_key and installation_id.";
                credentials = GitHubCredentials.FromApp(appId, input.AppPrivateKey, installation);
            }
            else if (tokens is not null)
            {
                if (tokens.FirstOrDefault(t => Validate.Token(t) is not null) is { } bad) return Validate.Token(bad);
                credentials = GitHubCredentials.FromTokens(tokens);
            }
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
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

    private static async Task<IResult> ListAsync(HttpContext http, IIntegrationStore store, ISecretProtector secrets, MeteredConnections connections, CancellationToken ct) =>
        Results.Ok((await store.ListAsync(ApiKeyAuthentication.TenantOf(http), ct)).Select(i => View(i, secrets, connections)));

    private static async Task<IResult> GetAsync(long id, HttpContext http, IIntegrationStore store, ISecretProtector secrets, MeteredConnections connections, CancellationToken ct) =>
        await store.GetAsync(ApiKeyAuthentication.TenantOf(http), id, ct) is { } i ? Results.Ok(View(i, secrets, connections)) : Errors.NotFound("Integration");

    private static async Task<IResult> CreateAsync(HttpContext http, IIntegrationStore store, ISecretProtector secrets, MeteredConnections connections, TimeProvider time,
        CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<IntegrationInput>(http.Request, ct);
        if (error is not null) return error;
        GitHubCredentials? credentials = null;
        var reason = Validate.GitHubUrl(input!.GithubUrl, out var url) ?? Validate.Owner(input.Owner)
            ?? (input.HasCredentials ? Credentials(input, out credentials) : "token (or tokens, or app_id + app_private_key + installation_id) is required.")
            ?? Validate.RepositoryFilters(input.RepositoryFilters) ?? Validate.PageSize(input.PageSize) ?? Validate.FirstSyncDays(input.FirstSyncDays)
            ?? Validate.BotLogins(input.BotLogins) ?? Validate.WebhookSecret(input.WebhookSecret);
        if (reason is not null) return Errors.Bad(reason);
        var settings = new IntegrationSettings
        {
            RepositoryFilters = input.RepositoryFilters ?? [],
            BotLogins = Validate.Logins(input.BotLogins),
            PageSize = input.PageSize ?? 100,
            FirstSyncWindow = input.FirstSyncDays is { } days ? TimeSpan.FromDays(days) : null,
        };
        // The first sync starts from Run Now, or one schedule interval from now.
        var created = await store.CreateAsync(ApiKeyAuthentication.TenantOf(http), url!, input.Owner!, secrets.Protect(credentials!.Serialize()), settings,
            time.GetUtcNow() + JobSchedule.DefaultInterval, ct);
        if (created is null) return Errors.Conflict($"An integration for {input.Owner} at {url} already exists.");
        if (input.WebhookSecret is { Length: > 0 } secret)
        {
            await store.UpdateAsync(created.TenantId, created.Id, new IntegrationChange(null, null, null, null) { ProtectedWebhookSecret = secrets.Protect(secret) }, ct);
            created = created with { HasWebhookSecret = true };
        }
        return Results.Created($"/api/integrations/{created.Id}", View(created, secrets, connections));
    }

    private static async Task<IResult> UpdateAsync(long id, HttpContext http, IIntegrationStore store, ISecretProtector secrets, MeteredConnections connections,
        IPrMetricsStore metrics, CancellationToken ct)
    {
        var tenant = ApiKeyAuthentication.TenantOf(http);
        if (await store.GetAsync(tenant, id, ct) is not { } current) return Errors.NotFound("Integration");
        var (input, error) = await JsonBody.ReadAsync<IntegrationInput>(http.Request, ct);
        if (error is not null) return error;
        Uri? url = null;
        GitHubCredentials? credentials = null;
        var reason = (input!.GithubUrl is null ? null : Validate.GitHubUrl(input.GithubUrl, out url)) ?? (input.Owner is null ? null : Validate.Owner(input.Owner))
            ?? (input.HasCredentials ? Credentials(input, out credentials) : null) ?? Validate.RepositoryFilters(input.RepositoryFilters)
            ?? Validate.PageSize(input.PageSize) ?? Validate.FirstSyncDays(input.FirstSyncDays)
            ?? Validate.BotLogins(input.BotLogins) ?? Validate.WebhookSecret(input.WebhookSecret);
        if (reason is not null) return Errors.Bad(reason);
        var (newUrl, newOwner) = (url ?? current.GraphQLUrl, input.Owner ?? current.Owner);
        if ((await store.ListAsync(tenant, ct)).Any(i => i.Id != id && i.GraphQLUrl == newUrl && string.Equals(i.Owner, newOwner, StringComparison.Ordinal)))
            return Errors.Conflict($"An integration for {newOwner} at {newUrl} already exists.");
        var bots = input.BotLogins is null ? current.Settings.BotLogins : Validate.Logins(input.BotLogins);
        var botsChanged = !bots.SequenceEqual(current.Settings.BotLogins, StringComparer.Ordinal);
        var settings = input.RepositoryFilters is null && input.PageSize is null && input.FirstSyncDays is null && !botsChanged ? null : current.Settings with
        {
            RepositoryFilters = input.RepositoryFilters ?? current.Settings.RepositoryFilters,
            BotLogins = bots,
            PageSize = input.PageSize ?? current.Settings.PageSize,
            FirstSyncWindow = input.FirstSyncDays is { } days ? TimeSpan.FromDays(days) : current.Settings.FirstSyncWindow,
        };
        await store.UpdateAsync(tenant, id, new IntegrationChange(url, input.Owner, credentials is null ? null : secrets.Protect(credentials.Serialize()), settings)
        {
            ProtectedWebhookSecret = input.WebhookSecret switch { null => null, "" => "", var secret => secrets.Protect(secret) },
        }, ct);
        connections.Forget(id);
        // Who is a bot decides reviewers, first reviews and author_is_bot: the stored metrics follow the list at once.
        if (botsChanged) await metrics.RecomputeAsync(tenant, id, ct);
        return Results.Ok(View((await store.GetAsync(tenant, id, ct))!, secrets, connections));
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

    private static async Task<IResult> ToggleAsync(long id, HttpContext http, IIntegrationStore store, ISecretProtector secrets, MeteredConnections connections, CancellationToken ct)
    {
        var tenant = ApiKeyAuthentication.TenantOf(http);
        if (await store.GetAsync(tenant, id, ct) is null) return Errors.NotFound("Integration");
        var (input, error) = await JsonBody.ReadAsync<ActiveInput>(http.Request, ct);
        if (error is not null) return error;
        if (input!.Active is not { } active) return Errors.Bad("active (true or false) is required.");
        await store.SetActiveAsync(tenant, id, active, ct);
        return Results.Ok(View((await store.GetAsync(tenant, id, ct))!, secrets, connections));
    }
}
