using System.Net;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Issue 12, row 11: real answers or errors, never invented values, ignored filters or answered mutations.</summary>
public sealed class NeverInventTests
{
    private const string Widgets = "repository(owner: \"acme\", name: \"widgets\")";

    [Fact]
    public async Task Issue_12_Row11_Search_RefusedByName()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync("{ search(query: \"is:pr\", type: ISSUE, first: 5) { issueCount } }");

        Assert.Equal("The simulator does not serve Query.search", (string?)Assert.Single(answer.Errors)!["message"]);
        Assert.Equal("""["search"]""", answer.Errors[0]!["path"]!.ToJsonString());
        Assert.Null(answer.Data);
    }

    [Fact]
    public async Task Issue_12_Row11_Introspection_RefusedByName()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync("{ __schema { queryType { name } } }");

        Assert.Equal("The simulator does not serve Query.__schema", (string?)Assert.Single(answer.Errors)!["message"]);
        Assert.Null(answer.Data);
    }

    [Fact]
    public async Task Issue_12_Row11_PullRequestFilters_Honoured()
    {
        await using var sim = await RealSimulator.StartSyntheticAsync(new SimulatorOptions { ProcessingTimeScale = 0 });
        const string repo = "repository(owner: \"synth-org\", name: \"repo-001\")";

        var answer = await sim.PostAsync($$"""
            { {{repo}} {
                all: pullRequests(first: 1) { totalCount nodes { headRefName } }
                main: pullRequests(first: 1, baseRefName: "main") { totalCount }
                other: pullRequests(first: 1, baseRefName: "release") { totalCount }
                bugs: pullRequests(first: 100, labels: ["bug"]) { totalCount nodes { labels(first: 10) { nodes { name } } } } } }
            """);
        var data = answer.Data!["repository"]!;
        var head = (string)data["all"]!["nodes"]![0]!["headRefName"]!;
        var byHead = await sim.PostAsync($"{{ {repo} {{ pullRequests(first: 5, headRefName: \"{head}\") {{ nodes {{ headRefName }} }} }} }}");

        Assert.Empty(answer.Errors);
        Assert.Equal((int)data["all"]!["totalCount"]!, (int)data["main"]!["totalCount"]!);
        Assert.Equal(0, (int)data["other"]!["totalCount"]!);
        Assert.InRange((int)data["bugs"]!["totalCount"]!, 1, (int)data["all"]!["totalCount"]! - 1);
        Assert.All(data["bugs"]!["nodes"]!.AsArray(), pr => Assert.Contains(pr!["labels"]!["nodes"]!.AsArray(), l => (string?)l!["name"] == "bug"));
        Assert.Equal(head, (string?)Assert.Single(byHead.Data!["repository"]!["pullRequests"]!["nodes"]!.AsArray())!["headRefName"]);
    }

    [Fact]
    public async Task Issue_12_Row11_UnhonouredFilter_RefusedByName()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ issues(first: 5, filterBy: {{assignee: \"jane\"}}) {{ totalCount }} }} }}");

        Assert.Equal("The simulator does not serve the argument filterBy of Repository.issues", (string?)Assert.Single(answer.Errors)!["message"]);
        Assert.Equal("""{"repository":null}""", answer.Data!.ToJsonString());
    }

    [Fact]
    public async Task Issue_12_Row11_Mutation_ForbiddenAsForAReadOnlyToken()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync("mutation { addComment(input: {subjectId: \"PR_1\", body: \"hi\"}) { clientMutationId } }");

        // The shape GitHub answers a token that may not write (a recorded convertPullRequestToDraft refusal; LIMITS.md's sources).
        Assert.Equal("""{"addComment":null}""", answer.Data!.ToJsonString());
        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("FORBIDDEN", (string?)error["type"]);
        Assert.Equal("Resource not accessible by personal access token", (string?)error["message"]);
        Assert.Equal("""{"saml_failure":false}""", error["extensions"]!.ToJsonString());
        Assert.Equal(0, sim.Server.Data.Counts["comments"] - 1);   // the data set's one comment, unchanged
    }

    [Fact]
    public async Task Issue_12_Row11_Subscription_SchemaNotConfigured()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync("subscription { viewer { login } }");

        Assert.Null(answer.Data);
        var error = Assert.Single(answer.Errors)!;
        Assert.Equal("Schema is not configured for subscriptions", (string?)error["message"]);
        Assert.Equal("missingSubscriptionConfiguration", (string?)error["extensions"]!["code"]);
        Assert.Equal("0", answer.Header("x-ratelimit-used"));
    }

    [Theory]
    [InlineData("pullRequest(number: 1) { mergeable }", "The data set has no PullRequest.mergeable for PR_1", """["repository","pullRequest","mergeable"]""")]
    [InlineData("pullRequest(number: 1) { author { avatarUrl } }", "The data set has no User.avatarUrl for jane", """["repository","pullRequest","author","avatarUrl"]""")]
    [InlineData("pullRequest(number: 1) { reviews(first: 1) { nodes { createdAt } } }", "The data set has no PullRequestReview.createdAt for PRR_1", """["repository","pullRequest","reviews","nodes",0,"createdAt"]""")]
    public async Task Issue_12_Row11_NonNullFieldTheDataSetLacks_ErrorNamingFieldAndObject(string selection, string message, string path)
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ {selection} }} }}");

        var error = Assert.Single(answer.Errors)!;
        Assert.Equal(message, (string?)error["message"]);
        Assert.Equal(path, error["path"]!.ToJsonString());
    }

    [Fact]
    public async Task Issue_12_Row11_DeclaredAbsentField_ServedAsItsZero()
    {
        var declared = JsonNode.Parse(TestDataSet.Json)!.AsObject();
        declared["absentFields"] = new JsonArray("PullRequest.changedFiles", "PullRequestReview.createdAt");
        await using var sim = await RealSimulator.StartAsync(dataset: declared.ToJsonString());

        var answer = await sim.PostAsync($"{{ {Widgets} {{ pullRequest(number: 1) {{ changedFiles reviews(first: 1) {{ nodes {{ createdAt }} }} }} }} }}");

        Assert.Empty(answer.Errors);
        Assert.Equal("""{"changedFiles":0,"reviews":{"nodes":[{"createdAt":""}]}}""", answer.Data!["repository"]!["pullRequest"]!.ToJsonString());
    }

    [Fact]
    public async Task Issue_12_Row11_ConnectionTheSimulatorDoesNotImplement_RefusedByName()
    {
        await using var sim = await RealSimulator.StartAsync();

        var answer = await sim.PostAsync($"{{ {Widgets} {{ pullRequest(number: 1) {{ title files(first: 10) {{ nodes {{ path }} }} }} }} }}");

        Assert.Equal("The simulator does not serve PullRequest.files", (string?)Assert.Single(answer.Errors)!["message"]);
        Assert.Equal("""{"pullRequest":{"title":"First","files":null}}""", answer.Data!["repository"]!.ToJsonString());
    }

    [Fact]
    public async Task Issue_12_Row11_ConnectionArrayTheDataSetLacks_ErrorUnlessDeclared()
    {
        var lacking = JsonNode.Parse(TestDataSet.Json)!.AsObject();
        lacking["repositories"]![0]!["pullRequests"]![1]!.AsObject().Remove("reviewThreads");
        await using var sim = await RealSimulator.StartAsync(dataset: lacking.ToJsonString());
        lacking["absentFields"] = new JsonArray("PullRequest.reviewThreads");
        await using var declared = await RealSimulator.StartAsync(dataset: lacking.ToJsonString());
        var query = $"{{ {Widgets} {{ pullRequest(number: 2) {{ reviewThreads {{ totalCount }} }} }} }}";

        var gap = await sim.PostAsync(query);
        var zero = await declared.PostAsync(query);

        Assert.Equal("The data set has no PullRequest.reviewThreads for PR_2", (string?)Assert.Single(gap.Errors)!["message"]);
        Assert.Equal("""{"pullRequest":{"reviewThreads":{"totalCount":0}}}""", zero.Data!["repository"]!.ToJsonString());
    }
}
