using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pulse.Bench;

/// <summary>
/// The baselines' GraphQL client: one POST per query, as their originals do. Honours retry-after on
/// secondary limits and retries 502/504; a GraphQL error fails the baseline (its data would be incomplete).
/// </summary>
public sealed class GraphQLHttp(Uri endpoint, string token) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private long _queries;

    public long Queries => Interlocked.Read(ref _queries);

    public async Task<JsonElement> QueryAsync(string query, object? variables, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { query, variables });
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
            Interlocked.Increment(ref _queries);
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests && attempt < 10)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(60);
                await Task.Delay(wait, ct);
                continue;
            }
            if ((int)response.StatusCode is 502 or 503 or 504 && attempt < 4)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                continue;
            }
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {Truncate(text)}");
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0)
                throw new InvalidOperationException($"GraphQL errors: {Truncate(errors.GetRawText())}");
            return doc.RootElement.GetProperty("data").Clone();
        }
    }

    private static string Truncate(string s) => s.Length > 400 ? s[..400] + "…" : s;

    public void Dispose() => _http.Dispose();
}

/// <summary>The simulator's control surface: /_sim/stats and /_sim/reset, /_sim/mutate, /_sim/data/counts.</summary>
public sealed class SimControl(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl };

    public async Task ResetAsync(CancellationToken ct) => (await _http.PostAsync("/_sim/reset", null, ct)).EnsureSuccessStatusCode();

    public async Task<Counters> StatsAsync(CancellationToken ct)
    {
        var json = JsonNode.Parse(await _http.GetStringAsync("/_sim/stats", ct))!["totals"]!;
        var errors = json["errors"]!.AsObject().ToDictionary(e => e.Key, e => (long)e.Value!);
        return new Counters((long)json["requests"]!, (long)json["points"]!, (long)json["nodes"]!, errors) { ProcessingMs = (long?)json["processingMs"] ?? 0 };
    }

    public async Task<JsonObject> CountsAsync(CancellationToken ct) => JsonNode.Parse(await _http.GetStringAsync("/_sim/data/counts", ct))!.AsObject();

    public async Task MutateAsync(JsonObject mutation, CancellationToken ct)
    {
        using var response = await _http.PostAsync("/_sim/mutate", new StringContent(mutation.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"mutate: {await response.Content.ReadAsStringAsync(ct)}");
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Totals of /_sim/stats: requests (HTTP), points charged, nodes touched, errors by kind.</summary>
public sealed record Counters(long Requests, long Points, long Nodes, Dictionary<string, long> Errors)
{
    public long Secondary => Errors.GetValueOrDefault("secondary");
    public long Timeouts => Errors.GetValueOrDefault("timeout");

    /// <summary>How long GitHub would have worked on these requests (the simulator's model, at its timing scale).</summary>
    public long ProcessingMs { get; init; }

    public Counters Minus(Counters before) => new(Requests - before.Requests, Points - before.Points, Nodes - before.Nodes,
        Errors.ToDictionary(e => e.Key, e => e.Value - before.Errors.GetValueOrDefault(e.Key)));
}
