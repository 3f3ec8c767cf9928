using System.Net;
using System.Net.Http.Json;

namespace Pulse.Server.Tests.Server.Api;

public sealed class AuthAndAdminTests
{
    [Fact]
    public async Task Requests_WithoutOrWithWrongKey_Are401_AndAdminKeyOnlyManagesTenants()
    {
        await using var server = await ServerHarness.StartAsync(ct: TestContext.Current.CancellationToken);
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/jobs", TestContext.Current.CancellationToken)).StatusCode);
        using var wrong = server.Client("pk_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/integrations", TestContext.Current.CancellationToken)).StatusCode);
        using var admin = server.Client(ServerHarness.AdminKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/jobs", TestContext.Current.CancellationToken)).StatusCode);

        var (tenantId, key) = await server.NewTenantAsync("acme");
        using var tenant = server.Client(key);
        var me = await ServerHarness.ReadAsync(await tenant.GetAsync("/api/me", TestContext.Current.CancellationToken));
        Assert.Equal(tenantId, me.GetProperty("tenant_id").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.PostAsJsonAsync("/api/admin/tenants", new { name = "x" }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/admin/tenants", new { name = "acme" }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/admin/tenants/999/keys", new { name = "x" }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/tenants", new { name = "" }, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Health_OpenApi_Metrics_AndDashboard_AreServed()
    {
        await using var server = await ServerHarness.StartAsync(ct: TestContext.Current.CancellationToken);
        using var client = server.Client();
        var health = await ServerHarness.ReadAsync(await client.GetAsync("/healthz", TestContext.Current.CancellationToken));
        Assert.Equal("ok", health.GetProperty("database").GetString());
        Assert.True(health.GetProperty("queue").GetProperty("depths").TryGetProperty("pulse.extract", out _));
        var openApi = await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Contains("/api/jobs/{id}/run-now", openApi);
        var metrics = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("pulse_queue_depth", metrics);
        var dashboard = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("app.js", dashboard);
    }
}
