using System.Globalization;
using Pulse.Core.Search;
using Pulse.Core.Storage;
using Pulse.Server.Auth;

namespace Pulse.Server.Api;

/// <summary>The synced data of the caller's tenant: repositories, pull requests with their children, hybrid search.</summary>
public static class DataApi
{
    private static readonly string[] States = ["OPEN", "CLOSED", "MERGED"];

    public static void MapRepositoriesApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/repositories", async (HttpContext http, IRepositoryStore store, CancellationToken ct) =>
            Results.Ok(await store.ListAsync(ApiKeyAuthentication.TenantOf(http), ct))).WithTags("Data");

    public static void MapPullRequestsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/prs", ListAsync).WithTags("Data");
        app.MapGet("/api/prs/{id:long}", async (long id, HttpContext http, IPullRequestStore store, CancellationToken ct) =>
            await store.GetAsync(ApiKeyAuthentication.TenantOf(http), id, ct) is { } pr ? Results.Ok(pr) : Errors.NotFound("Pull request")).WithTags("Data");
    }

    public static void MapSearchApi(this IEndpointRouteBuilder app) => app.MapGet("/api/search", SearchAsync).WithTags("Data");

    private static async Task<IResult> ListAsync(HttpContext http, IPullRequestStore store, CancellationToken ct)
    {
        var q = http.Request.Query;
        var state = q["state"].ToString() is { Length: > 0 } s ? s.ToUpperInvariant() : null;
        if (state is not null && !States.Contains(state)) return Errors.Bad("state must be one of OPEN, CLOSED, MERGED.");
        DateTimeOffset? since = null;
        if (q["updated_since"].ToString() is { Length: > 0 } u)
        {
            if (!DateTimeOffset.TryParse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d))
                return Errors.Bad("updated_since must be an ISO-8601 date, e.g. 2025-01-31 or 2025-01-31T12:00:00Z.");
            since = d;
        }
        if (!TryInt(q["page"], 1, 1, int.MaxValue, out var page)) return Errors.Bad("page must be a whole number of at least 1.");
        if (!TryInt(q["page_size"], 50, 1, 100, out var size)) return Errors.Bad("page_size must be between 1 and 100.");
        var repo = q["repo"].ToString() is { Length: > 0 } r ? r : null;
        var author = q["author"].ToString() is { Length: > 0 } a ? a : null;
        return Results.Ok(await store.ListAsync(new PullRequestQuery(ApiKeyAuthentication.TenantOf(http), repo, state, author, since, page, size), ct));
    }

    /// <summary>GET /api/search?q=…&amp;repo=&amp;author=&amp;state=&amp;kind=&amp;since=&amp;until=&amp;limit=&amp;mode=: hybrid search, each hit with its PR's link.</summary>
    private static async Task<IResult> SearchAsync(HttpContext http, HybridSearch search, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (!TryInt(q["limit"], 10, 1, 100, out var limit)) return Errors.Bad("limit must be between 1 and 100.");
        var parsed = SearchRequest.Parse(ApiKeyAuthentication.TenantOf(http), q["q"].ToString(), limit, name => q[name].ToString() is { Length: > 0 } v ? v : null);
        if (parsed.Error is not null) return Errors.Bad(parsed.Error);
        if (parsed.Mode == SearchMode.Vector && !search.HasVectors)
            return Results.Json(new { error = "Vector search is off: this server runs with --no-embeddings." }, statusCode: StatusCodes.Status503ServiceUnavailable);
        var hits = await search.SearchAsync(parsed.Query!, parsed.Mode, ct);
        return Results.Ok(hits.Select(h => new
        {
            kind = h.Kind, row_id = h.RowId, score = Math.Round(h.Score, 5), repository = h.Repository, pull_request_number = h.PullRequestNumber,
            pull_request_url = h.PullRequestUrl, title = h.Title, state = h.State, author = h.Author, at = h.At, snippet = h.Snippet,
        }));
    }

    private static bool TryInt(Microsoft.Extensions.Primitives.StringValues raw, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (raw.Count == 0 || string.IsNullOrEmpty(raw.ToString())) return true;
        return int.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
