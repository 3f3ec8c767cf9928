using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace Pulse.Server.Tests.Server.Api;

/// <summary>The integration's sign-in kinds through the API: accepted, encrypted, never returned.</summary>
public sealed class IntegrationsAuthApiTests
{
    [Fact]
    public async Task Integration_GitHubAppOrTokenPool_IsStoredButNeverReturned()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportRSAPrivateKeyPem();
        var responses = new StringBuilder();

        var app = await client.PostAsJsonAsync("/api/integrations", new { github_url = "https://ghe.example.com/api/v3", owner = server.Owner, app_id = 12, app_private_key = pem, installation_id = 34 }, ct);
        Assert.Equal(HttpStatusCode.Created, app.StatusCode);
        var created = await ServerHarness.ReadAsync(app);
        Assert.Equal("github_app", created.GetProperty("auth").GetString());
        // Enterprise Server's REST form is stored as its GraphQL endpoint.
        Assert.Equal("https://ghe.example.com/api/graphql", created.GetProperty("github_url").GetString());
        var pool = await ServerHarness.ReadAsync(await client.PostAsJsonAsync("/api/integrations",
            new { github_url = server.Simulator.GraphQLUrl.ToString(), owner = server.Owner, tokens = new[] { "secret-token-1", "secret-token-2" } }, ct));
        Assert.Equal("tokens", pool.GetProperty("auth").GetString());
        var id = created.GetProperty("id").GetInt64();
        var switched = await ServerHarness.ReadAsync(await client.PutAsJsonAsync($"/api/integrations/{id}", new { tokens = new[] { "secret-token-3" } }, ct));
        Assert.Equal("tokens", switched.GetProperty("auth").GetString());
        responses.Append(created.GetRawText()).Append(pool.GetRawText()).Append(switched.GetRawText());
        responses.Append(await client.GetStringAsync("/api/integrations", ct));

        Assert.DoesNotContain("PRIVATE KEY", responses.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(pem.Split('\n')[1], responses.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", responses.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadSignIns => new()
    {
        { """{"github_url":"http://x/graphql","owner":"acme","app_id":1,"app_private_key":"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----","installation_id":2}""",
            "The GitHub App private key is not a PEM RSA private key" },
        { """{"github_url":"http://x/graphql","owner":"acme","app_id":1,"installation_id":2}""", "A GitHub App needs app_id, app_private_key and installation_id." },
        { """{"github_url":"http://x/graphql","owner":"acme","token":"t","app_id":1}""", "Give either token(s) or a GitHub App" },
        { """{"github_url":"http://x/graphql","owner":"acme","tokens":[]}""", "No GitHub token" },
        { """{"github_url":"http://x/graphql","owner":"acme","tokens":["a","a"]}""", "The same GitHub token is given twice." },
        { """{"github_url":"https://ghe.example.com/somewhere","owner":"acme","token":"t"}""", "names no GitHub API" },
    };

    [Theory]
    [MemberData(nameof(BadSignIns))]
    public async Task Create_BadSignIn_Is400WithItsReason(string body, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);

        var response = await client.PostAsync("/api/integrations", new StringContent(body, Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
