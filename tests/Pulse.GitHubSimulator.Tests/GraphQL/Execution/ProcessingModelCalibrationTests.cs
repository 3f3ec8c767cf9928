using System.Net;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Execution;

/// <summary>
/// The timeout calibration of shared/github/LIMITS.md ("The calibration query"): Apache DevLake's PR query over a 300-PR
/// heavy-tail repository times out on at least one page at 30 PRs per page, and on at most 1% of pages at 10.
/// </summary>
public sealed class ProcessingModelCalibrationTests
{
    /// <summary>DevLake's PR collector query (backend/plugins/github_graphql/tasks/pr_collector.go), as LIMITS.md gives it.</summary>
    public const string DevLakeQuery = """
        query($owner: String!, $name: String!, $pageSize: Int!, $skipCursor: String) {
          rateLimit { cost }
          repository(owner: $owner, name: $name) {
            pullRequests(first: $pageSize, after: $skipCursor, orderBy: {field: UPDATED_AT, direction: DESC}) {
              pageInfo { endCursor hasNextPage }
              totalCount
              nodes {
                databaseId number state title body url
                labels(first: 100) { nodes { id name } }
                author { login ... on User { id } }
                assignees(first: 1) { nodes { login id } }
                closedAt mergedAt updatedAt createdAt
                mergeCommit { oid }
                headRefName headRefOid baseRefName baseRefOid
                commits(first: 100) {
                  pageInfo { endCursor hasNextPage } totalCount
                  nodes { url commit { oid message author { name email date user { login id } } committer { date email name } } }
                }
                reviews(first: 100) { totalCount nodes { body author { login } state databaseId commit { oid } submittedAt } }
              }
            }
          }
        }
        """;

    /// <summary>A heavy-tail repository of 300 pull requests (each tail at least once, a few PRs past 100 commits, reviews and comments).</summary>
    public static readonly SyntheticSpec Repository = SyntheticSpec.Parse("repos=1,prs=300,seed=7,tails=heavy");

    [Fact]
    public async Task DevLakeQuery_PageSize30_TimesOutOnAtLeastOnePage()
    {
        var pages = await PageOutcomesAsync(30);

        Assert.Contains(HttpStatusCode.BadGateway, pages);
    }

    [Fact]
    public async Task DevLakeQuery_PageSize10_TimesOutOnAtMostOnePercentOfPages()
    {
        var pages = await PageOutcomesAsync(10);

        Assert.Equal(30, pages.Count);
        Assert.True(pages.Count(p => p != HttpStatusCode.OK) <= pages.Count / 100, string.Join(",", pages));
    }

    /// <summary>Lists the page cursors cheaply, then asks DevLake's query at each page: the status of every page.</summary>
    private static async Task<List<HttpStatusCode>> PageOutcomesAsync(int pageSize)
    {
        await using var sim = await RealSimulator.StartSyntheticAsync(new SimulatorOptions { Synthetic = Repository, ProcessingTimeScale = 0, PointsPerHour = 1_000_000 });
        var cursors = new List<string?> { null };
        while (true)
        {
            var listing = await sim.PostAsync("""
                query($c: String, $n: Int!) { repository(owner: "synth-org", name: "repo-001") {
                  pullRequests(first: $n, after: $c, orderBy: {field: UPDATED_AT, direction: DESC}) { pageInfo { endCursor hasNextPage } } } }
                """, new JsonObject { ["c"] = cursors[^1], ["n"] = pageSize });
            var info = listing.Data!["repository"]!["pullRequests"]!["pageInfo"]!;
            if (!(bool)info["hasNextPage"]!) break;
            cursors.Add((string?)info["endCursor"]);
        }
        var outcomes = new List<HttpStatusCode>();
        foreach (var cursor in cursors)
        {
            var page = await sim.PostAsync(DevLakeQuery, new JsonObject { ["owner"] = "synth-org", ["name"] = "repo-001", ["pageSize"] = pageSize, ["skipCursor"] = cursor });
            Assert.True(page.Status != HttpStatusCode.OK || page.Errors.Count == 0, page.Errors.ToJsonString());
            outcomes.Add(page.Status);
        }
        return outcomes;
    }
}
