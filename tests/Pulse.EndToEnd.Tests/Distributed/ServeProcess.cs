using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary><c>pulse serve</c> as a child process on a free port, with the calls the distributed tests make to its API.</summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    public const string AdminKey = "serve-test-admin-key";
    private readonly PulseCliProcess _process;

    private ServeProcess(PulseCliProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }
    public string Output => _process.Output;

    public static async Task<ServeProcess> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> env, CancellationToken ct)
    {
        var process = await PulseCliProcess.StartAsync(["serve", "--urls", "http://127.0.0.1:0", "--admin-key", AdminKey, .. args], env, ct);
        Uri? address = null;
        // Startup migrates the database and connects to the broker: generous on a loaded machine.
        await WorkerProcessTests.WaitUntilAsync(() =>
        {
            Assert.False(process.HasExited, $"pulse serve exited:\n{process.Output}");
            var match = Listening().Match(process.Output);
            if (match.Success) address = new Uri(match.Groups[1].Value);
            return Task.FromResult(address is not null);
        }, TimeSpan.FromMinutes(2));
        return new ServeProcess(process, address!);
    }

    /// <summary>Its exit code, once it exits of its own accord (the test fails if that takes longer than <paramref name="timeout"/>).</summary>
    public Task<int> WaitAsync(TimeSpan timeout, CancellationToken ct) => _process.WaitAsync(timeout, ct);

    public HttpClient Client(string key) => new()
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    /// <summary>A tenant, its key, and an integration of <paramref name="owner"/> at <paramref name="graphQLUrl"/>; returns the key and the job's id.</summary>
    public async Task<(string Key, long JobId)> SetUpTenantAsync(Uri graphQLUrl, string owner, CancellationToken ct)
    {
        using var admin = Client(AdminKey);
        var tenant = await ReadAsync(await admin.PostAsJsonAsync("/api/admin/tenants", new { name = "acme" }, ct));
        var created = await ReadAsync(await admin.PostAsJsonAsync($"/api/admin/tenants/{tenant.GetProperty("id").GetInt64()}/keys", new { name = "test" }, ct));
        var key = created.GetProperty("key").GetString()!;
        using var client = Client(key);
        await ReadAsync(await client.PostAsJsonAsync("/api/integrations", new { github_url = graphQLUrl.ToString(), owner, token = "sim-token" }, ct));
        var job = (await ReadAsync(await client.GetAsync("/api/jobs", ct))).EnumerateArray().Single();
        return (key, job.GetProperty("id").GetInt64());
    }

    /// <summary>Connects to /ws/jobs and collects every message until disposed.</summary>
    public async Task<FeedRecorder> ConnectFeedAsync(string key, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {key}");
        await socket.ConnectAsync(new Uri($"ws://{Address.Authority}/ws/jobs"), ct);
        return new FeedRecorder(socket);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>SIGKILL: no shutdown code runs; the job's lease stays until it expires.</summary>
    public void KillHard() => _process.KillHard();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"pulse serve: listening on (http://[^\s]+/)")]
    private static partial Regex Listening();
}

/// <summary>Every job_status_update a WebSocket client of /ws/jobs received, in order.</summary>
public sealed class FeedRecorder : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<JsonElement> _updates = new();
    private readonly Task _reading;

    public FeedRecorder(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = ReadAsync();
    }

    public IReadOnlyList<JsonElement> Updates => [.. _updates];

    /// <summary>Waits for an update of the job whose overall status is one of <paramref name="overall"/>.</summary>
    public async Task<JsonElement> WaitForOverallAsync(long jobId, TimeSpan timeout, params string[] overall)
    {
        JsonElement? found = null;
        await WorkerProcessTests.WaitUntilAsync(() =>
        {
            Assert.False(_reading.IsCompleted, $"the feed closed: {_reading.Exception?.GetBaseException().Message}");
            found = _updates.Where(u => u.GetProperty("job_id").GetInt64() == jobId)
                .Cast<JsonElement?>().FirstOrDefault(u => overall.Contains(u!.Value.GetProperty("status").GetProperty("overall").GetString()));
            return Task.FromResult(found is not null);
        }, timeout);
        return found!.Value;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var text = new MemoryStream();
        while (!_stop.IsCancellationRequested)
        {
            var result = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close) return;
            text.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            var message = JsonDocument.Parse(text.ToArray()).RootElement.Clone();
            text.SetLength(0);
            if (message.GetProperty("type").GetString() == "job_status_update") _updates.Enqueue(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reading; } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        _socket.Dispose();
        _stop.Dispose();
    }
}
