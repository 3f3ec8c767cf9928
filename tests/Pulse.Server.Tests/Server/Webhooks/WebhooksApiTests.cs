using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Pulse.Core.Webhooks;

namespace Pulse.Server.Tests.Server.Webhooks;

public sealed partial class WebhooksApiTests
{
    private const string Body = """{"action":"edited","repository":{"node_id":"R_unknown"},"pull_request":{"node_id":"PR_x","number":1}}""";

    [Fact]
    public async Task Receive_BadOrMissingSignature_Is401AndOnlyCounted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (client, anonymous, id) = await TenantWithIntegrationAsync(server, "s3cret");
        var (noSecret, _) = await SignedDeliveries.AddIntegrationAsync(client, new Uri("http://127.0.0.1:1/graphql"), server.Owner, "");

        var refused = new[]
        {
            await SignedDeliveries.PostAsync(anonymous, id, "pull_request", "d-1", Body, "wrong-secret"),
            await SignedDeliveries.PostAsync(anonymous, id, "pull_request", "d-2", Body, null),
            await SignedDeliveries.PostAsync(anonymous, id, "pull_request", "d-3", Body, null, "sha256=" + new string('0', 64)),
            await SignedDeliveries.PostAsync(anonymous, noSecret, "pull_request", "d-4", Body, ""),
            await SignedDeliveries.PostAsync(anonymous, 999_999, "pull_request", "d-5", Body, "s3cret"),
        };

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, (await ServerHarness.ReadAsync(await client.GetAsync("/api/webhooks/deliveries", ct))).GetArrayLength());
        var metrics = await anonymous.GetStringAsync("/metrics", ct);
        Assert.Equal("5", RejectedBySignature().Match(metrics).Groups[1].Value);
    }

    [Fact]
    public async Task Receive_SameDeliveryTwice_StoredOnce_UnknownEventIgnored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (client, anonymous, id) = await TenantWithIntegrationAsync(server, "s3cret");

        Assert.Equal(HttpStatusCode.Accepted, (await SignedDeliveries.PostAsync(anonymous, id, "pull_request", "d-1", Body, "s3cret")).StatusCode);
        var replay = await SignedDeliveries.PostAsync(anonymous, id, "pull_request", "d-1", Body, "s3cret");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("\"duplicate\":true", await replay.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.Accepted, (await SignedDeliveries.PostAsync(anonymous, id, "ping", "d-2", """{"zen":"Keep it logically awesome."}""", "s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SignedDeliveries.PostAsync(anonymous, id, "pull_request", "d-3", "[1]", "s3cret")).StatusCode);

        var deliveries = await ServerHarness.ReadAsync(await client.GetAsync("/api/webhooks/deliveries", ct));
        Assert.Equal(["d-2:ping:ignored", "d-1:pull_request:"], deliveries.EnumerateArray()
            .Select(d => $"{d.GetProperty("delivery_id")}:{d.GetProperty("event")}:{(d.GetProperty("event").GetString() == "ping" ? d.GetProperty("status").GetString() : "")}"));
        // The PR it names is in no repository Pulse syncs: the delivery ends ignored, once.
        var ended = await WaitAsync(client, d => d.GetProperty("delivery_id").GetString() == "d-1" && d.GetProperty("status").GetString() != "pending");
        Assert.Equal("ignored", ended.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/webhooks/deliveries?status=bogus", ct)).StatusCode);
    }

    [Fact]
    public async Task Receive_AnotherTenantsIntegration_RefusedAndNeverListed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, keyA) = await server.NewTenantAsync("acme");
        var (_, keyB) = await server.NewTenantAsync("globex");
        using var a = server.Client(keyA);
        using var b = server.Client(keyB);
        using var anonymous = server.Client();
        var (idA, _) = await SignedDeliveries.AddIntegrationAsync(a, server.Simulator.GraphQLUrl, server.Owner, "secret-of-a");
        var (idB, _) = await SignedDeliveries.AddIntegrationAsync(b, server.Simulator.GraphQLUrl, server.Owner, "secret-of-b");

        // Tenant A, knowing only its own secret, cannot deliver to B's integration.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignedDeliveries.PostAsync(anonymous, idB, "pull_request", "x-1", Body, "secret-of-a")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SignedDeliveries.PostAsync(anonymous, idB, "ping", "b-1", "{}", "secret-of-b")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SignedDeliveries.PostAsync(anonymous, idA, "ping", "a-1", "{}", "secret-of-a")).StatusCode);

        Assert.Equal(["a-1"], (await ServerHarness.ReadAsync(await a.GetAsync("/api/webhooks/deliveries", ct))).EnumerateArray().Select(d => d.GetProperty("delivery_id").GetString()));
        Assert.Equal(["b-1"], (await ServerHarness.ReadAsync(await b.GetAsync("/api/webhooks/deliveries", ct))).EnumerateArray().Select(d => d.GetProperty("delivery_id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await a.PutAsJsonAsync($"/api/integrations/{idB}", new { webhook_secret = "taken-over" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/webhooks/deliveries", ct)).StatusCode);
    }

    [Fact]
    public async Task Integration_WebhookSecret_WriteOnlyAndRemovable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (client, anonymous, id) = await TenantWithIntegrationAsync(server, "very-secret-value");

        var view = await client.GetStringAsync($"/api/integrations/{id}", ct);
        Assert.Contains("\"has_webhook_secret\":true", view);
        Assert.Contains($"\"webhook_path\":\"/api/webhooks/github/{id}\"", view);
        Assert.DoesNotContain("very-secret-value", view + await client.GetStringAsync("/api/integrations", ct));

        var removed = await ServerHarness.ReadAsync(await client.PutAsJsonAsync($"/api/integrations/{id}", new { webhook_secret = "" }, ct));
        Assert.False(removed.GetProperty("has_webhook_secret").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignedDeliveries.PostAsync(anonymous, id, "ping", "p-1", "{}", "very-secret-value")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/integrations/{id}", new { webhook_secret = new string('x', 300) }, ct)).StatusCode);
    }

    [Fact]
    public async Task Receive_BodyOverTheCap_Is413AndNotStored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartWithoutSimulatorAsync(new WebhookOptions { MaxBodyBytes = 4096 }, ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        using var anonymous = server.Client();
        var (id, _) = await SignedDeliveries.AddIntegrationAsync(client, new Uri("http://127.0.0.1:1/graphql"), "acme", "s3cret");
        var large = $$"""{"zen":"{{new string('z', 5000)}}"}""";

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await SignedDeliveries.PostAsync(anonymous, id, "ping", "big-1", large, "s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SignedDeliveries.PostAsync(anonymous, id, "ping", "small-1", "{}", "s3cret")).StatusCode);
        Assert.Equal(["small-1"], (await ServerHarness.ReadAsync(await client.GetAsync("/api/webhooks/deliveries", ct))).EnumerateArray().Select(d => d.GetProperty("delivery_id").GetString()));
    }

    /// <summary>A tenant with an integration of the simulator's organisation under <paramref name="secret"/>: its client, an anonymous one, the integration.</summary>
    private static async Task<(HttpClient Client, HttpClient Anonymous, long IntegrationId)> TenantWithIntegrationAsync(ServerHarness server, string secret)
    {
        var (_, key) = await server.NewTenantAsync("acme");
        var client = server.Client(key);
        var (id, _) = await SignedDeliveries.AddIntegrationAsync(client, server.Simulator.GraphQLUrl, server.Owner, secret);
        return (client, server.Client(), id);
    }

    private static async Task<System.Text.Json.JsonElement> WaitAsync(HttpClient client, Func<System.Text.Json.JsonElement, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            var found = (await ServerHarness.ReadAsync(await client.GetAsync("/api/webhooks/deliveries"))).EnumerateArray().Where(done).ToList();
            if (found.Count > 0) return found[0];
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException("no delivery reached the state waited for");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("""pulse_webhook_rejections(?:_total)?\{[^}]*reason="signature"[^}]*\} (\d+)""")]
    private static partial Regex RejectedBySignature();
}
