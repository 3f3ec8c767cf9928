using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Pulse.Server.Tests.Server.Api;

public sealed class IntegrationsApiTests
{
    [Fact]
    public async Task Integration_CreateEditToggleDelete_NeverReturnsTheToken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        var responses = new StringBuilder();

        var create = await client.PostAsJsonAsync("/api/integrations", new { github_url = server.Simulator.GraphQLUrl.ToString(), owner = server.Owner, token = "secret-token-123", repository_filters = new[] { "repo-*" }, page_size = 20, first_sync_days = 30 }, ct);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var created = await ServerHarness.ReadAsync(create);
        responses.Append(created.GetRawText());
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(20, created.GetProperty("page_size").GetInt32());
        Assert.Equal(30, created.GetProperty("first_sync_days").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/integrations", new { github_url = server.Simulator.GraphQLUrl.ToString(), owner = server.Owner, token = "secret-token-123" }, ct)).StatusCode);

        var edited = await ServerHarness.ReadAsync(await client.PutAsJsonAsync($"/api/integrations/{id}", new { token = "secret-token-456", page_size = 40 }, ct));
        responses.Append(edited.GetRawText());
        Assert.Equal(40, edited.GetProperty("page_size").GetInt32());
        var toggled = await ServerHarness.ReadAsync(await client.PostAsJsonAsync($"/api/integrations/{id}/toggle-active", new { active = false }, ct));
        Assert.False(toggled.GetProperty("active").GetBoolean());
        responses.Append(await client.GetStringAsync("/api/integrations", ct));
        responses.Append(await client.GetStringAsync($"/api/integrations/{id}", ct));
        responses.Append(await client.GetStringAsync("/api/jobs", ct));

        Assert.DoesNotContain("secret-token", responses.ToString());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/integrations/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/integrations/{id}", ct)).StatusCode);
        Assert.Equal("[]", await client.GetStringAsync("/api/jobs", ct));
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"github_url":"not a url","owner":"acme","token":"t"}""", "github_url" },
        { """{"github_url":"ftp://x/graphql","owner":"acme","token":"t"}""", "github_url" },
        { """{"github_url":"http://x/graphql","owner":"-bad-","token":"t"}""", "owner" },
        { """{"github_url":"http://x/graphql","owner":"acme","token":""}""", "token" },
        { """{"github_url":"http://x/graphql","owner":"acme"}""", "token" },
        { """{"github_url":"http://x/graphql","owner":"acme","token":"t","page_size":0}""", "page_size" },
        { """{"github_url":"http://x/graphql","owner":"acme","token":"t","page_size":101}""", "page_size" },
        { """{"github_url":"http://x/graphql","owner":"acme","token":"t","colour":"red"}""", "colour" },
        { """{"github_url":"http://x/graphql","owner":"acme","token":"t",""", "Malformed JSON" },
        { """{"github_url":"http://x/graphql","owner":"acme","token":"t","repository_filters":["a b"]}""", "repository_filters" },
        { "", "empty" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_BadInput_Is400WithReason(string body, string reasonMentions)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        var response = await client.PostAsync("/api/integrations", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reasonMentions, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Create_OversizedBody_Is400()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ServerHarness.StartAsync(ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        using var client = server.Client(key);
        var body = $$"""{"github_url":"http://x/graphql","owner":"acme","token":"{{new string('a', 100_000)}}"}""";
        var response = await client.PostAsync("/api/integrations", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync(ct));
    }
}
