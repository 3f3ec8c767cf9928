using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.GraphQL;
using ExecutionContext = Pulse.GitHubSimulator.GraphQL.ExecutionContext;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Execution;

public class ExecutorTests
{
    private const string Repo = "repository(owner: \"acme\", name: \"widgets\")";

    [Fact]
    public void Execute_RepositoryAndRateLimit_GitHubShape()
    {
        var body = TestDataSet.Run($"{{ rateLimit {{ cost remaining resetAt nodeCount }} {Repo} {{ nameWithOwner owner {{ login __typename }} }} }}");
        Assert.Equal("""{"data":{"rateLimit":{"cost":1,"remaining":4999,"resetAt":"2022-06-20T21:19:17Z","nodeCount":3},"repository":{"nameWithOwner":"acme/widgets","owner":{"login":"acme","__typename":"Organization"}}}}""", body.ToJsonString());
    }

    [Fact]
    public void Execute_UnknownRepository_NullWithNotFound()
    {
        var body = TestDataSet.Run("{ repository(owner: \"whoisthis\", name: \"x\") { name } }");
        Assert.Null(body["data"]!["repository"]);
        var error = body["errors"]![0]!;
        Assert.Equal("NOT_FOUND", (string?)error["type"]);
        Assert.Equal("Could not resolve to a Repository with the name 'whoisthis/x'.", (string?)error["message"]);
        Assert.Equal("""["repository"]""", error["path"]!.ToJsonString());
    }

    [Fact]
    public void Execute_UnknownPullRequestNumber_NotFound()
    {
        var body = TestDataSet.Run($"{{ {Repo} {{ pullRequest(number: 0) {{ id }} }} }}");
        Assert.Equal("""{"pullRequest":null}""", body["data"]!["repository"]!.ToJsonString());
        Assert.Equal("Could not resolve to a PullRequest with the number of 0.", (string?)body["errors"]![0]!["message"]);
    }

    [Fact]
    public void Execute_FirstAfterPaging_CursorsAndPageInfo()
    {
        var q = $"query($after: String) {{ {Repo} {{ pullRequests(first: 2, after: $after) {{ totalCount pageInfo {{ hasNextPage hasPreviousPage endCursor }} nodes {{ number }} }} }} }}";
        var page1 = TestDataSet.Run(q)["data"]!["repository"]!["pullRequests"]!;
        Assert.Equal("[{\"number\":1},{\"number\":2}]", page1["nodes"]!.ToJsonString());
        Assert.True((bool)page1["pageInfo"]!["hasNextPage"]!);
        Assert.False((bool)page1["pageInfo"]!["hasPreviousPage"]!);
        var page2 = TestDataSet.Run(q, new JsonObject { ["after"] = (string?)page1["pageInfo"]!["endCursor"] })["data"]!["repository"]!["pullRequests"]!;
        Assert.Equal("[{\"number\":3}]", page2["nodes"]!.ToJsonString());
        Assert.False((bool)page2["pageInfo"]!["hasNextPage"]!);
        Assert.True((bool)page2["pageInfo"]!["hasPreviousPage"]!);
        Assert.Equal(3, (int)page2["totalCount"]!);
    }

    [Fact]
    public void Execute_LastBefore_PagesBackwards()
    {
        var body = TestDataSet.Run($"{{ {Repo} {{ pullRequests(last: 2) {{ pageInfo {{ hasPreviousPage hasNextPage }} edges {{ cursor node {{ number }} }} }} }} }}");
        var conn = body["data"]!["repository"]!["pullRequests"]!;
        Assert.Equal(2, (int)conn["edges"]![0]!["node"]!["number"]!);
        Assert.True((bool)conn["pageInfo"]!["hasPreviousPage"]!);
        Assert.False((bool)conn["pageInfo"]!["hasNextPage"]!);
        // Key-based, as GitHub's: the item's place in the order (createdAt, then databaseId), not its position.
        Assert.Equal("cursor:v2:[\"2024-01-02T00:00:00Z\",3000000002]",
            Encoding.UTF8.GetString(Convert.FromBase64String((string)conn["edges"]![0]!["cursor"]!)));
    }

    [Fact]
    public void Execute_OrderByUpdatedDescAndStates_FiltersAndOrders()
    {
        var body = TestDataSet.Run($"{{ {Repo} {{ a: pullRequests(first: 10, orderBy: {{field: UPDATED_AT, direction: DESC}}) {{ nodes {{ number }} }} b: pullRequests(first: 10, states: [OPEN, CLOSED]) {{ nodes {{ number state merged closed }} }} }} }}");
        var repo = body["data"]!["repository"]!;
        Assert.Equal("[{\"number\":1},{\"number\":3},{\"number\":2}]", repo["a"]!["nodes"]!.ToJsonString());
        Assert.Equal("""[{"number":2,"state":"OPEN","merged":false,"closed":false},{"number":3,"state":"CLOSED","merged":false,"closed":true}]""", repo["b"]!["nodes"]!.ToJsonString());
    }

    [Fact]
    public void Execute_NodeAndNodes_ResolveAnyIdAndStubs()
    {
        var body = TestDataSet.Run("{ node(id: \"PRRC_2\") { __typename ... on PullRequestReviewComment { body replyTo { body } pullRequest { number } } } nodes(ids: [\"PR_2\", \"LA_1\"]) { id ... on Label { name } } }");
        Assert.Equal("""{"node":{"__typename":"PullRequestReviewComment","body":"c2","replyTo":{"body":"c1"},"pullRequest":{"number":1}},"nodes":[{"id":"PR_2"},{"id":"LA_1","name":"bug"}]}""", body["data"]!.ToJsonString());
    }

    [Fact]
    public void Execute_NestedConnectionsFragmentsAliasesInclude_AsGitHub()
    {
        var q = $$"""
            query($withBody: Boolean!) { {{Repo}} { pullRequest(number: 1) { ...Pr } } }
            fragment Pr on PullRequest {
              databaseId
              author { login ... on User { __typename } }
              mergedBy { ... on Bot { login } }
              c: commits(first: 5) { totalCount nodes { commit { oid } } }
              reviews(first: 5) { nodes { state comments(first: 5) { nodes { body } } } }
              comments(first: 5) { nodes { body @include(if: $withBody) author { login } } }
              reviewThreads(first: 5) { nodes { path comments(first: 5) { nodes { databaseId } } } }
              labels { totalCount }
            }
            """;
        var pr = TestDataSet.Run(q, new JsonObject { ["withBody"] = false })["data"]!["repository"]!["pullRequest"]!;
        Assert.Equal(3000000001L, (long)pr["databaseId"]!);
        Assert.Equal("""{"login":"jane","__typename":"User"}""", pr["author"]!.ToJsonString());
        Assert.Equal("""{"login":"bot"}""", pr["mergedBy"]!.ToJsonString());
        Assert.Equal("""{"totalCount":2,"nodes":[{"commit":{"oid":"aaa"}},{"commit":{"oid":"bbb"}}]}""", pr["c"]!.ToJsonString());
        Assert.Equal("""[{"state":"APPROVED","comments":{"nodes":[{"body":"c1"}]}}]""", pr["reviews"]!["nodes"]!.ToJsonString());
        Assert.Equal("""[{"author":null}]""", pr["comments"]!["nodes"]!.ToJsonString());
        Assert.Equal("""[{"path":"a.go","comments":{"nodes":[{"databaseId":31},{"databaseId":32}]}}]""", pr["reviewThreads"]!["nodes"]!.ToJsonString());
        Assert.Equal(1, (int)pr["labels"]!["totalCount"]!);
    }

    [Fact]
    public void Execute_MissingNullableField_Null()
    {
        var body = TestDataSet.Run($"{{ {Repo} {{ pullRequest(number: 2) {{ closedAt mergedBy {{ login }} }} }} }}");
        Assert.Null(body["errors"]);
        Assert.Equal("""{"closedAt":null,"mergedBy":null}""", body["data"]!["repository"]!["pullRequest"]!.ToJsonString());
    }

    [Fact]
    public void Execute_NullNodeFault_NullsOnePullRequestWithGitHubError()
    {
        var context = TestDataSet.Context with { Fault = PartialFault.NullNodeWithError, FaultSeed = 7 };
        var body = TestDataSet.Run($"{{ {Repo} {{ pullRequests(first: 3) {{ nodes {{ number }} }} }} }}", context: context);
        Assert.Equal("[null,{\"number\":2},{\"number\":3}]", body["data"]!["repository"]!["pullRequests"]!["nodes"]!.ToJsonString());
        var error = body["errors"]![0]!;
        Assert.StartsWith("Something went wrong while executing your query.", (string?)error["message"]);
        Assert.Equal("""["repository","pullRequests","nodes",0]""", error["path"]!.ToJsonString());
    }

    [Fact]
    public void Execute_NullInNonNullPosition_PropagatesToNullableParent()
    {
        // edges: [PullRequestEdge]; node inside is nullable, but commit on PullRequestCommit is non-null.
        var context = TestDataSet.Context with { Fault = PartialFault.NullNodeWithError };
        var body = TestDataSet.Run($"{{ {Repo} {{ pullRequest(number: 1) {{ labels(first: 1) {{ nodes {{ name }} }} }} }} }}", context: context);
        Assert.Equal("[null]", body["data"]!["repository"]!["pullRequest"]!["labels"]!["nodes"]!.ToJsonString());
        var notFound = TestDataSet.Run("{ viewer { login } }", context: TestDataSet.Context with { Fault = PartialFault.NotFound });
        // viewer is User!: the null propagates to data.
        Assert.Null(notFound["data"]);
        Assert.Equal("NOT_FOUND", (string?)notFound["errors"]![0]!["type"]);
    }

    [Fact]
    public void Execute_ViewerAndOrganizationRepositories_Served()
    {
        var body = TestDataSet.Run("{ viewer { login } organization(login: \"acme\") { repositories(first: 5) { nodes { name } } } }");
        Assert.Equal("""{"viewer":{"login":"jane"},"organization":{"repositories":{"nodes":[{"name":"widgets"}]}}}""", body["data"]!.ToJsonString());
    }

    /// <summary>A repository whose issues follow its pull requests, as a data set may order them.</summary>
    private const string IssuesDataSet = """
    {
      "generatedAt": "2024-02-01T00:00:00Z",
      "absentFields": [ "IssueComment.body" ],
      "owners": [ { "login": "acme", "__typename": "Organization" } ],
      "repositories": [
        {
          "id": "R_1", "owner": "acme", "name": "widgets",
          "pullRequests": [
            { "id": "PR_1", "number": 1, "createdAt": "2024-01-01T00:00:00Z", "headRepository": null },
            { "id": "PR_2", "number": 2, "createdAt": "2024-01-02T00:00:00Z" }
          ],
          "issues": [
            { "id": "I_7", "databaseId": 7, "number": 7, "title": "Seven", "state": "OPEN",
              "createdAt": "2024-01-07T00:00:00Z", "updatedAt": "2024-01-09T00:00:00Z",
              "comments": [
                { "id": "IC_71", "databaseId": 71, "body": "first", "createdAt": "2024-01-07T01:00:00Z", "updatedAt": "2024-01-08T00:00:00Z" },
                { "id": "IC_72", "databaseId": 72, "body": "second", "createdAt": "2024-01-07T02:00:00Z", "updatedAt": "2024-01-07T02:00:00Z" },
                {} ] },
            { "id": "I_5", "databaseId": 5, "number": 5, "title": "Five", "state": "CLOSED",
              "createdAt": "2024-01-05T00:00:00Z", "updatedAt": "2024-01-10T00:00:00Z", "comments": [] }
          ]
        }
      ]
    }
    """;

    [Fact]
    public void Execute_IssueByNumber_FieldsCommentsAndNodes()
    {
        var data = Pulse.GitHubSimulator.Data.SimulatorDataLoader.FromJson(IssuesDataSet);
        var body = TestDataSet.Run(data, $$"""
            { {{Repo}} { issue(number: 7) { id number title repository { name }
                asc: comments(first: 2) { totalCount nodes { body } pageInfo { hasNextPage } }
                byUpdate: comments(first: 3, orderBy: {field: UPDATED_AT, direction: ASC}) { nodes { body } } } }
              node(id: "I_7") { __typename ... on Issue { number } }
              nodes(ids: ["IC_72"]) { ... on IssueComment { body issue { number } } } }
            """);
        Assert.Null(body["errors"]);
        Assert.Equal("""{"repository":{"issue":{"id":"I_7","number":7,"title":"Seven","repository":{"name":"widgets"},"asc":{"totalCount":3,"nodes":[{"body":"first"},{"body":"second"}],"pageInfo":{"hasNextPage":true}},"byUpdate":{"nodes":[{"body":"second"},{"body":"first"},{"body":""}]}}},"node":{"__typename":"Issue","number":7},"nodes":[{"body":"second","issue":{"number":7}}]}""",
            body["data"]!.ToJsonString());
    }

    [Fact]
    public void Execute_UnknownIssueNumber_NotFound()
    {
        var data = Pulse.GitHubSimulator.Data.SimulatorDataLoader.FromJson(IssuesDataSet);
        var body = TestDataSet.Run(data, $"{{ {Repo} {{ issue(number: 1) {{ id }} }} }}");
        Assert.Equal("""{"issue":null}""", body["data"]!["repository"]!.ToJsonString());
        var error = body["errors"]![0]!;
        Assert.Equal("NOT_FOUND", (string?)error["type"]);
        Assert.Equal("Could not resolve to an Issue with the number of 1.", (string?)error["message"]);
        Assert.Equal("""["repository","issue"]""", error["path"]!.ToJsonString());
    }

    [Fact]
    public void Execute_IssuesStatesAndOrderBy_FiltersAndOrders()
    {
        var data = Pulse.GitHubSimulator.Data.SimulatorDataLoader.FromJson(IssuesDataSet);
        var body = TestDataSet.Run(data, $$"""
            { {{Repo}} {
                a: issues(first: 10) { totalCount nodes { number } }
                b: issues(first: 10, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { number } }
                c: issues(first: 10, orderBy: {field: COMMENTS, direction: DESC}) { nodes { number } }
                d: issues(first: 10, states: [OPEN]) { nodes { number } }
                e: issues(last: 1) { nodes { number } pageInfo { hasPreviousPage } } } }
            """);
        Assert.Equal("""{"a":{"totalCount":2,"nodes":[{"number":5},{"number":7}]},"b":{"nodes":[{"number":5},{"number":7}]},"c":{"nodes":[{"number":7},{"number":5}]},"d":{"nodes":[{"number":7}]},"e":{"nodes":[{"number":7}],"pageInfo":{"hasPreviousPage":true}}}""",
            body["data"]!["repository"]!.ToJsonString());
    }

    [Fact]
    public void Execute_HeadRepository_StoredNullIsNullAbsentIsBase()
    {
        var data = Pulse.GitHubSimulator.Data.SimulatorDataLoader.FromJson(IssuesDataSet);
        var body = TestDataSet.Run(data, $"{{ {Repo} {{ pullRequests(first: 2) {{ nodes {{ number headRepository {{ nameWithOwner }} }} }} }} }}");
        Assert.Equal("""[{"number":1,"headRepository":null},{"number":2,"headRepository":{"nameWithOwner":"acme/widgets"}}]""",
            body["data"]!["repository"]!["pullRequests"]!["nodes"]!.ToJsonString());
    }
}
