using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.GraphQL;

namespace Pulse.GitHubSimulator.Tests.TestSupport;

/// <summary>
/// An engine whose plan is read from the query text, so host rules can be tested alone:
/// "cost:N" sets the points, "ms:N" the simulated processing, "invalid" a validation error,
/// "dryRun" a dry run, "throw" an engine exception. The body echoes the rateLimit snapshot and the partial fault.
/// </summary>
internal sealed class FakeEngine : IGraphQLEngine
{
    private sealed class Plan(IReadOnlyList<JsonObject> errors, QueryCost cost, bool dryRun, TimeSpan processing) : QueryPlan
    {
        public override IReadOnlyList<JsonObject> Errors => errors;
        public override QueryCost Cost => cost;
        public override bool DryRun => dryRun;
        public TimeSpan Processing => processing;
    }

    public QueryPlan Prepare(GraphQLRequest request)
    {
        var words = request.Query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Contains("throw")) throw new InvalidOperationException("engine bug");
        int Number(string key, int fallback) =>
            words.FirstOrDefault(w => w.StartsWith(key + ":", StringComparison.Ordinal)) is { } w ? int.Parse(w[(key.Length + 1)..]) : fallback;
        var errors = words.Contains("invalid")
            ? new[] { new JsonObject { ["message"] = "Field 'bogus' doesn't exist on type 'Query'" } }
            : [];
        var points = Number("cost", 1);
        return new Plan(errors, new QueryCost(points * 100L, points, points * 10L), words.Contains("dryRun"), TimeSpan.FromMilliseconds(Number("ms", 0)));
    }

    public ExecutionResult Execute(QueryPlan plan, Pulse.GitHubSimulator.GraphQL.ExecutionContext context)
    {
        var limit = context.RateLimit;
        var body = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["rateLimit"] = new JsonObject
                {
                    ["cost"] = limit.Cost, ["limit"] = limit.Limit, ["remaining"] = limit.Remaining, ["used"] = limit.Used,
                    ["resetAt"] = limit.ResetAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["nodeCount"] = limit.NodeCount,
                },
                ["fault"] = context.Fault.ToString(),
                ["padding"] = new string('x', 200),
            },
        };
        return new ExecutionResult(Encoding.UTF8.GetBytes(body.ToJsonString()), 3, ((Plan)plan).Processing);
    }
}
