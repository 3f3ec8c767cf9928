using System.Globalization;
using Pulse.Core.Metrics;
using Pulse.Core.Storage;
using Pulse.Server.Auth;

namespace Pulse.Server.Api;

/// <summary>The PR flow metrics of the caller's tenant (issue 13): per PR, and summarised with the PRs waiting for review.</summary>
public static class PrMetricsApi
{
    private static readonly string[] States = ["OPEN", "CLOSED", "MERGED"];

    public static void MapPrMetricsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/metrics").WithTags("Metrics");
        group.MapGet("/prs", ListAsync);
        group.MapGet("/summary", SummaryAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IPrMetricsStore store, CancellationToken ct)
    {
        var q = http.Request.Query;
        var state = Text(q["state"])?.ToUpperInvariant();
        if (state is not null && !States.Contains(state)) return Errors.Bad("state must be one of OPEN, MERGED, CLOSED.");
        MetricsPeriodField on;
        switch (Text(q["on"]))
        {
            case null or "merged": on = MetricsPeriodField.Merged; break;
            case "ready": on = MetricsPeriodField.Ready; break;
            default: return Errors.Bad("on must be merged or ready.");
        }
        if (Period(q, out var from, out var to) is { } bad) return bad;
        var rows = await store.ListAsync(new PrMetricsQuery(ApiKeyAuthentication.TenantOf(http), Text(q["repository"]), Text(q["author"]), state, from, to, on), ct);
        return Results.Ok(rows.Select(PrMetricsView.Of));
    }

    private static async Task<IResult> SummaryAsync(HttpContext http, IPrMetricsStore store, TimeProvider time, CancellationToken ct)
    {
        var q = http.Request.Query;
        var by = Text(q["by"]) ?? "week";
        if (!MetricsSummary.Groupings.Contains(by)) return Errors.Bad("by must be week, repository or author.");
        if (Period(q, out var from, out var to) is { } bad) return bad;
        var tenant = ApiKeyAuthentication.TenantOf(http);
        var repository = Text(q["repository"]);
        var merged = await store.ListAsync(new PrMetricsQuery(tenant, repository, State: "MERGED", From: from, To: to), ct);
        var waiting = await store.WaitingAsync(tenant, repository, ct);
        return Results.Ok(SummaryView.Of(MetricsSummary.Build(by, merged, waiting, time.GetUtcNow())));
    }

    private static IResult? Period(IQueryCollection q, out DateTimeOffset? from, out DateTimeOffset? to)
    {
        to = null;
        if (!TryDate(Text(q["from"]), out from)) return Errors.Bad("from must be an ISO-8601 date, e.g. 2026-01-31 or 2026-01-31T12:00:00Z.");
        if (!TryDate(Text(q["to"]), out to)) return Errors.Bad("to must be an ISO-8601 date, e.g. 2026-02-28 or 2026-02-28T12:00:00Z.");
        return from > to ? Errors.Bad("from must not be after to.") : null;
    }

    /// <summary>An ISO-8601 date or time, read as UTC when it names no offset; null stays null.</summary>
    public static bool TryDate(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (text is null) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)) return false;
        value = d;
        return true;
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues raw) => raw.ToString() is { Length: > 0 } s ? s : null;
}
