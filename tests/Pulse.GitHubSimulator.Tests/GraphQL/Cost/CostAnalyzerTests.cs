using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Cost;

public class CostAnalyzerTests
{
    private const string DocsExample = """
        query { viewer { login repositories(first: 100) { edges { node { id
          issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }
        """;

    [Fact]
    public void Prepare_DocsWorkedExample_5101RequestsAnd51Points()
    {
        var plan = TestDataSet.Prepare(DocsExample);
        Assert.Empty(plan.Errors);
        Assert.Equal(5101, plan.Cost.Requests);
        Assert.Equal(51, plan.Cost.Points);
    }

    [Fact]
    public void Prepare_DocsSimpleNodeExample_550Nodes()
    {
        var plan = TestDataSet.Prepare("query { viewer { repositories(first: 50) { edges { repository:node { name issues(first: 10) { totalCount edges { node { title bodyHTML } } } } } } } }");
        Assert.Empty(plan.Errors);
        Assert.Equal(550, plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Prepare_DocsComplexNodeExample_22060Nodes()
    {
        var plan = TestDataSet.Prepare("query { viewer { repositories(first: 50) { edges { repository:node { name pullRequests(first: 20) { edges { pullRequest:node { title comments(first: 10) { edges { comment:node { bodyHTML } } } } } } issues(first: 20) { totalCount edges { issue:node { title bodyHTML comments(first: 10) { edges { comment:node { bodyHTML } } } } } } } } } followers(first: 10) { edges { follower:node { login } } } } }");
        Assert.Empty(plan.Errors);
        Assert.Equal(22060, plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Prepare_RecordedTestRepoPRs_Cost1NodeCount800()
    {
        var (query, variables) = Cassette("TestRepoPRs.yaml");
        var plan = TestDataSet.Prepare(query, variables);
        Assert.Empty(plan.Errors);
        Assert.Equal(1, plan.Cost.Points);
        Assert.Equal(800, plan.Cost.PossibleNodes);
    }

    [Theory]
    [InlineData("TestPRCommits.yaml")]
    [InlineData("TestPRReviews.yaml")]
    [InlineData("TestPRComments.yaml")]
    [InlineData("TestIssueComments.yaml")]
    public void Prepare_OtherRecordedCassettes_Cost1NodeCount50(string file)
    {
        var (query, variables) = Cassette(file);
        var plan = TestDataSet.Prepare(query, variables);
        Assert.Empty(plan.Errors);
        Assert.Equal(1, plan.Cost.Points);
        Assert.Equal(RecordedNodeCount(file), plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Prepare_ConnectionWithoutFirstOrLast_MissingPaginationBoundaries()
    {
        var error = Assert.Single(TestDataSet.Prepare("{ repository(owner: \"a\", name: \"b\") { pullRequests { nodes { id } } } }").Errors);
        Assert.Equal("MISSING_PAGINATION_BOUNDARIES", (string?)error["type"]);
        Assert.Equal("You must provide a `first` or `last` value to properly paginate the `pullRequests` connection.", (string?)error["message"]);
        Assert.Equal("""["query","repository","pullRequests"]""", error["path"]!.ToJsonString());
        Assert.NotNull(error["locations"]);
    }

    [Fact]
    public void Prepare_TotalCountOnlyWithoutFirst_AcceptedAndFree()
    {
        var plan = TestDataSet.Prepare("{ repository(owner: \"a\", name: \"b\") { pullRequests { totalCount } } }");
        Assert.Empty(plan.Errors);
        Assert.Equal(0, plan.Cost.Requests);
        Assert.Equal(1, plan.Cost.Points);
    }

    [Theory]
    [InlineData(101)]
    [InlineData(-3)]
    public void Prepare_PageSizeOutOfRange_LeftToExecution(int first)
    {
        // Issue 12, row 4: GitHub answers a bad page size as an execution error of that connection (ExecutorPageSizeTests).
        var plan = TestDataSet.Prepare($"{{ repository(owner: \"a\", name: \"b\") {{ pullRequests(first: {first}) {{ nodes {{ id }} }} }} }}");

        Assert.Empty(plan.Errors);
        Assert.Equal(1, plan.Cost.Points);
    }

    [Fact]
    public void Prepare_FirstZero_Allowed()
    {
        var plan = TestDataSet.Prepare("{ repository(owner: \"a\", name: \"b\") { pullRequests(first: 0) { nodes { id } } } }");

        Assert.Empty(plan.Errors);
        Assert.Equal(0, plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Prepare_TotalCountOnlyWithFirst_CountedWhateverIsSelected()
    {
        // Issue 12, row 2: first/last count whatever the connection selects.
        var plan = TestDataSet.Prepare("{ repository(owner: \"a\", name: \"b\") { pullRequests(first: 100) { nodes { " +
            "commits(first: 100) { totalCount } reviews(first: 100) { totalCount } comments(first: 100) { totalCount } } } } }");

        Assert.Empty(plan.Errors);
        Assert.Equal(301, plan.Cost.Requests);
        Assert.Equal(3, plan.Cost.Points);
        Assert.Equal(30_100, plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Prepare_TotalCountOnlyNestedThreeDeep_MaxNodeLimitExceeded()
    {
        var error = Assert.Single(TestDataSet.Prepare("{ viewer { repositories(first: 100) { nodes { pullRequests(first: 100) { nodes { commits(first: 100) { totalCount } } } } } } }").Errors);

        Assert.Equal("MAX_NODE_LIMIT_EXCEEDED", (string?)error["type"]);
        Assert.Contains("requesting up to 1,010,100 possible nodes", (string?)error["message"]);
    }

    [Fact]
    public void Prepare_RateLimitAlone_CostsNothing()
    {
        // Issue 12, row 6.
        Assert.Equal(0, TestDataSet.Prepare("{ rateLimit { cost remaining } }").Cost.Points);
        Assert.Equal(1, TestDataSet.Prepare("{ rateLimit { cost } viewer { login } }").Cost.Points);
    }

    [Fact]
    public void Prepare_LastFromVariable_Counted()
    {
        var plan = TestDataSet.Prepare("query($n: Int) { repository(owner: \"a\", name: \"b\") { pullRequests(last: $n) { nodes { id } } } }", new JsonObject { ["n"] = 30 });
        Assert.True(plan.Errors.Count == 0, string.Join("\n", plan.Errors.Select(e => e.ToJsonString())));
        Assert.Equal(30, plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Prepare_OverNodeLimit_MaxNodeLimitExceeded()
    {
        var plan = TestDataSet.Prepare("{ viewer { repositories(first: 100) { nodes { pullRequests(first: 100) { nodes { labels(first: 100) { nodes { name } } } } } } } }");
        var error = Assert.Single(plan.Errors);
        Assert.Equal("MAX_NODE_LIMIT_EXCEEDED", (string?)error["type"]);
        Assert.Equal("By the time this query traverses to the `labels` connection, it is requesting up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000.", (string?)error["message"]);
    }

    [Fact]
    public void Prepare_SkippedConnectionAndNodesIds_CountedAsGitHubDoes()
    {
        var plan = TestDataSet.Prepare("query($s: Boolean!) { nodes(ids: [\"a\", \"b\"]) { ... on PullRequest { commits(first: 10) { nodes { id } } labels(first: 5) @skip(if: $s) { nodes { id } } } } }", new JsonObject { ["s"] = true });
        Assert.Empty(plan.Errors);
        Assert.Equal(2, plan.Cost.Requests);
        Assert.Equal(20, plan.Cost.PossibleNodes);
    }

    [Fact]
    public void Prepare_RateLimitDryRun_DryRun()
    {
        Assert.True(TestDataSet.Prepare("{ rateLimit(dryRun: true) { cost } }").DryRun);
        Assert.False(TestDataSet.Prepare("{ rateLimit { cost } }").DryRun);
    }

    internal static (string Query, JsonObject Variables) Cassette(string file)
    {
        var body = FirstInteraction(file)["request"]["body"].ToString();
        var request = JsonNode.Parse(body)!.AsObject();
        return ((string)request["query"]!, request["variables"]?.AsObject().DeepClone().AsObject() ?? []);
    }

    private static long RecordedNodeCount(string file)
    {
        var body = FirstInteraction(file)["response"]["body"].ToString();
        return long.Parse(Regex.Match(body, "\"nodeCount\":(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static YamlNode FirstInteraction(string file)
    {
        var path = Path.Combine(TestDataSet.RepositoryRoot(), "third_party", "github-fixtures", "mergestat-vcr-graphql", file);
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path)) yaml.Load(reader);
        return ((YamlSequenceNode)yaml.Documents[0].RootNode["interactions"])[0];
    }
}
