using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.GitHubSimulator.Tests.TestSupport;
using ExecutionContext = Pulse.GitHubSimulator.GraphQL.ExecutionContext;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Execution;

/// <summary>
/// A whole Pulse-shaped sync (pull request pages, then commits, reviews, comments and threads per pull request,
/// following every cursor) plus error and fault answers, hashed byte for byte. The hash was recorded on the
/// executor before its allocation work (d43b9d2) and again when issue 12 changed answers on purpose (key-based
/// cursors, accounts' ids in the synthetic data, the processing model): any change to any answer, its cost, its
/// node count or its simulated time fails here.
/// Re-recorded when the synthetic data gained timelines, bot, ghost and self reviews and PRs without commits (the
/// executor of that commit gave the old hash on the old data, so only the data moved it), then again on merging both.
/// Re-recorded for issue 13: only the synthetic generator changed (rework commits authored after the first review, force
/// pushes after the commit they put at the head; the timeline stream's later draws — bot authors, PRs without commits,
/// review authors — moved with them); the executor is untouched, so the data alone moved it.
/// </summary>
public class ExecutorReferenceOutputTests
{
    private const string Recorded = "59B626F390C8405563716345177B6EA46A30DAE19488048F880502E95362ACFA";

    private static readonly ExecutionContext Context = new(
        new RateLimitSnapshot(1, 5000, 4999, 1, new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero), 100), "solo-dev");

    [Fact]
    public void Execute_PulseShapedSyncAndFaults_SameBytesAsRecorded()
    {
        var engine = new GitHubGraphQLEngine(Load("repos=3,prs=90,seed=11,tails=heavy,extreme=1"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var answers = new Answers(engine, hash);

        var repos = answers.Run("{ repositoryOwner(login: \"synth-org\") { login repositories(first: 100) { totalCount nodes { id name owner { login } } } } }")
            ["data"]!["repositoryOwner"]!["repositories"]!["nodes"]!.AsArray().Select(r => ((string)r!["owner"]!["login"]!, (string)r["name"]!)).ToList();
        var ids = PullRequestIds(answers, repos);
        Assert.True(ids.Count > 50);
        var units = ids.SelectMany(id => PulseShapedQueries.NodeUnits.Select(unit => (id, unit, (string?)null))).ToList();
        while (units.Count > 0)
        {
            var batch = units.Take(40).ToList();
            units = units.Skip(40).ToList();
            var (query, variables) = PulseShapedQueries.NodeQuery(batch);
            var data = answers.Run(query, variables)["data"]!;
            for (var i = 0; i < batch.Count; i++)
            {
                var connection = data[$"u{i}"]!.AsObject().Single().Value!;
                if ((bool)connection["pageInfo"]!["hasNextPage"]!) units.Add((batch[i].Item1, batch[i].Item2, (string?)connection["pageInfo"]!["endCursor"]));
            }
        }

        var (one, oneVariables) = PulseShapedQueries.NodeQuery([(ids[0], PulseShapedQueries.NodeUnits[0], null), ("PR_nope", PulseShapedQueries.NodeUnits[1], "bm9wZQ==")]);
        answers.Run(one, oneVariables);
        answers.Run(one, oneVariables, Context with { Fault = PartialFault.NotFound });
        answers.Run(one, oneVariables, Context with { Fault = PartialFault.NullNodeWithError, FaultSeed = 42 });
        answers.Run("{ repository(owner: \"synth-org\", name: \"x\") { name } }");
        answers.Errors("{ repository(owner: \"a\", name: \"b\") { pullRequest(number: 1) { bogus } } }");
        answers.Errors("query Q($n: String) { repository(owner: \"a\", name: \"b\") { pullRequests(first: $n) { totalCount } } }");
        answers.Errors("{ viewer { repositories(first: 100) { nodes { pullRequests(first: 100) { nodes { commits(first: 100) { nodes { id } } } } } } } }");
        answers.Run("{ viewer { repositories(first: 101) { nodes { id } } } }");   // a page-size error is an execution error (issue 12)

        var actual = Convert.ToHexString(hash.GetHashAndReset());
        Assert.True(Recorded == actual, $"answers changed: {actual}");
    }

    private static List<string> PullRequestIds(Answers answers, List<(string Owner, string Name)> repos)
    {
        var ids = new List<string>();
        var pages = repos.Select(r => (r.Owner, r.Name, (string?)null)).ToList();
        while (pages.Count > 0)
        {
            var (query, variables) = PulseShapedQueries.PullRequestQuery(pages, pageSize: 30);
            var data = answers.Run(query, variables)["data"]!;
            var next = new List<(string, string, string?)>();
            for (var i = 0; i < pages.Count; i++)
            {
                var connection = data[$"u{i}"]!["pullRequests"]!;
                ids.AddRange(connection["nodes"]!.AsArray().Select(n => (string)n!["id"]!));
                if ((bool)connection["pageInfo"]!["hasNextPage"]!) next.Add((pages[i].Owner, pages[i].Name, (string?)connection["pageInfo"]!["endCursor"]));
            }
            pages = next;
        }
        return ids;
    }

    private static ISimulatorData Load(string spec)
    {
        using var stream = new MemoryStream();
        SyntheticDataset.Generate(SyntheticSpec.Parse(spec), stream);
        stream.Position = 0;
        return SimulatorDataLoader.Load(stream);
    }

    /// <summary>Runs requests and feeds every answer (body, cost, node count, simulated time) to the hash.</summary>
    private sealed class Answers(GitHubGraphQLEngine engine, IncrementalHash hash)
    {
        public JsonObject Run(string query, JsonObject? variables = null, ExecutionContext? context = null)
        {
            var plan = engine.Prepare(new GraphQLRequest(query, variables, null));
            Assert.Empty(plan.Errors);
            var result = engine.Execute(plan, context ?? Context);
            hash.AppendData(result.Body);
            Append($"|{plan.Cost}|{result.NodesTouched}|{result.SimulatedProcessing.Ticks}|");
            return JsonNode.Parse(result.Body)!.AsObject();
        }

        public void Errors(string query)
        {
            var plan = engine.Prepare(new GraphQLRequest(query, null, null));
            Assert.NotEmpty(plan.Errors);
            Append(new JsonArray([.. plan.Errors.Select(e => e.DeepClone())]).ToJsonString());
        }

        private void Append(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
    }
}
