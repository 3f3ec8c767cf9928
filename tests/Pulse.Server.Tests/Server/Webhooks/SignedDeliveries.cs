using System.Net.Http.Json;
using System.Text;
using Pulse.Core.Webhooks;

namespace Pulse.Server.Tests.Server.Webhooks;

/// <summary>Deliveries as GitHub sends them, posted by hand, and the webhook-side views the tests read.</summary>
internal static class SignedDeliveries
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient anonymous, long integrationId, string eventName, string deliveryId, string body,
        string? secret, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/github/{integrationId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/test");
        if ((signature ?? (secret is null ? null : WebhookSignature.Sign(Encoding.UTF8.GetBytes(body), secret))) is { } header)
            request.Headers.Add(WebhookSignature.Header, header);
        return await anonymous.SendAsync(request);
    }

    /// <summary>An integration of the harness's organisation with a webhook secret; returns (integration id, job id).</summary>
    public static async Task<(long IntegrationId, long JobId)> AddIntegrationAsync(HttpClient client, Uri graphQLUrl, string owner, string secret)
    {
        var created = await ServerHarness.ReadAsync(await client.PostAsJsonAsync("/api/integrations",
            new { github_url = graphQLUrl.ToString(), owner, token = ServerHarness.SimulatorToken, page_size = 50, webhook_secret = secret }));
        var integrationId = created.GetProperty("id").GetInt64();
        var jobs = await ServerHarness.ReadAsync(await client.GetAsync("/api/jobs"));
        return (integrationId, jobs.EnumerateArray().Single(j => j.GetProperty("integration_id").GetInt64() == integrationId).GetProperty("id").GetInt64());
    }
}
