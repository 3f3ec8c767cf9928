using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Http;

/// <summary>Counters of the control surface: per token and per user requests, points, nodes and errors by kind, and totals.</summary>
public sealed class SimulatorStats
{
    /// <summary>Error kinds as they appear in <c>/_sim/stats</c>.</summary>
    public static class Kinds
    {
        public const string Unauthorized = "unauthorized";
        public const string BadRequest = "bad_request";
        public const string Validation = "validation";
        public const string RateLimited = "rate_limited";
        public const string Secondary = "secondary";
        public const string Timeout = "timeout";
        public const string ResourceLimits = "resource_limits";
        public const string Internal = "internal";
        public static string Fault(FaultKind kind) => "fault_" + FaultKinds.Name(kind);
    }

    private readonly Dictionary<string, TokenCounters> _tokens = new(StringComparer.Ordinal);
    /// <summary>The user each token acted for (tokens of one user are summed under "users").</summary>
    private readonly Dictionary<string, string> _loginOf = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public sealed class TokenCounters
    {
        public long Requests { get; internal set; }
        public long Points { get; internal set; }
        public long Nodes { get; internal set; }
        /// <summary>Simulated processing, at the timing scale, in milliseconds: how long GitHub would have worked.</summary>
        public long ProcessingMs { get; internal set; }
        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>How many requests <see cref="RecentRequests"/> keeps: enough for any test, bounded for a simulator left running.</summary>
    public const int RecentCapacity = 10_000;
    private readonly Queue<string> _recent = new();

    internal void Request(string token, Account? account = null) => Update(token, c =>
    {
        if (account is not null) _loginOf[token] = account.Login;
        c.Requests++;
        if (_recent.Count == RecentCapacity) _recent.Dequeue();
        _recent.Enqueue(token);
    });

    /// <summary>The tokens of the latest requests in the order they arrived, oldest first: whom the clients served in turn.</summary>
    public IReadOnlyList<string> RecentRequests()
    {
        lock (_lock) return [.. _recent];
    }

    internal void Charged(string token, int points) => Update(token, c => c.Points += points);

    internal void Nodes(string token, long nodes) => Update(token, c => c.Nodes += nodes);

    internal void Processing(string token, TimeSpan simulated) => Update(token, c => c.ProcessingMs += (long)simulated.TotalMilliseconds);

    internal void Error(string token, string kind) =>
        Update(token, c => c.Errors[kind] = c.Errors.GetValueOrDefault(kind) + 1);

    /// <summary>A copy of the counters of one token (zeros when it made no request).</summary>
    public TokenCounters For(string token)
    {
        lock (_lock)
        {
            var copy = new TokenCounters();
            if (_tokens.TryGetValue(token, out var c))
            {
                copy.Requests = c.Requests; copy.Points = c.Points; copy.Nodes = c.Nodes; copy.ProcessingMs = c.ProcessingMs;
                foreach (var (k, v) in c.Errors) copy.Errors[k] = v;
            }
            return copy;
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _tokens.Clear();
            _loginOf.Clear();
            _recent.Clear();
        }
    }

    /// <summary>{"tokens": {token: {...}}, "users": {login: {...}}, "totals": {...}}; the missing-token bucket is "(none)".</summary>
    public JsonObject ToJson()
    {
        lock (_lock)
        {
            var tokens = new JsonObject();
            var users = new Dictionary<string, TokenCounters>(StringComparer.Ordinal);
            var total = new TokenCounters();
            foreach (var (token, c) in _tokens.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                tokens[token] = Json(c);
                Add(total, c);
                if (_loginOf.TryGetValue(token, out var login)) Add(users.TryGetValue(login, out var u) ? u : users[login] = new TokenCounters(), c);
            }
            var byUser = new JsonObject();
            foreach (var (login, c) in users.OrderBy(u => u.Key, StringComparer.Ordinal)) byUser[login] = Json(c);
            return new JsonObject { ["tokens"] = tokens, ["users"] = byUser, ["totals"] = Json(total) };
        }
    }

    private static void Add(TokenCounters sum, TokenCounters c)
    {
        sum.Requests += c.Requests; sum.Points += c.Points; sum.Nodes += c.Nodes; sum.ProcessingMs += c.ProcessingMs;
        foreach (var (k, v) in c.Errors) sum.Errors[k] = sum.Errors.GetValueOrDefault(k) + v;
    }

    private static JsonObject Json(TokenCounters c)
    {
        var errors = new JsonObject();
        foreach (var (k, v) in c.Errors.OrderBy(e => e.Key, StringComparer.Ordinal)) errors[k] = v;
        return new JsonObject
        {
            ["requests"] = c.Requests, ["points"] = c.Points, ["nodes"] = c.Nodes, ["processingMs"] = c.ProcessingMs,
            ["errors"] = errors, ["errorsTotal"] = c.Errors.Values.Sum(),
        };
    }

    private void Update(string token, Action<TokenCounters> change)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(token, out var c)) _tokens[token] = c = new TokenCounters();
            change(c);
        }
    }
}
