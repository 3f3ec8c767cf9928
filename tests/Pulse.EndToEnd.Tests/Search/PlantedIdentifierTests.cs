using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pulse.EndToEnd.Tests.Distributed;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Search;

/// <summary>
/// Issue 16's done-when: an identifier planted in one comment of a synthetic organisation is found by <c>pulse search</c>
/// (the real CLI process, after a real <c>pulse sync</c> with embeddings) with that comment's PR listed first, on both backends.
/// </summary>
public sealed partial class PlantedIdentifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Search_IdentifierPlantedInOneComment_ListsThatPullRequestFirst(Backend backend)
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = SyntheticSpec.Parse("repos=2,prs=6,seed=16,big_body=false"), ProcessingTimeScale = 0 }, Ct);
        var prs = await SimulatorQueries.PullRequestsAsync(sim, SyntheticDataset.OrganizationLogin, Ct);
        var (target, decoy) = (prs[prs.Count / 2 + 1], prs[0]);
        var code = RandomNumberGenerator.GetInt32(1000, 9999);
        var identifier = $"ERR_CONN_RESET_{code}";
        await CommentAsync(sim, target, $"Reproduced it: the client gives up with {identifier} after the second retry.\nSee the log below.");
        // A near miss on another PR: the same words, another code.
        await CommentAsync(sim, decoy, $"Unrelated: we saw ERR_CONN_RESET_{code + 1} once on staging, connection reset by peer.");
        await using var harness = new SyncHarness(backend);
        var database = await harness.DatabaseArgumentAsync();
        var env = new Dictionary<string, string> { ["PULSE_SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };

        await using (var sync = await PulseCliProcess.StartAsync(["sync", "--github-url", sim.GraphQLUrl.ToString(), "--token", "sim-token",
                         "--owner", SyntheticDataset.OrganizationLogin, "--database", database, "--quiet"], env, Ct))
            Assert.True(await sync.WaitAsync(TimeSpan.FromMinutes(8), Ct) == 0, sync.Output);

        var expected = $"{SyntheticDataset.OrganizationLogin}/{target.Repo}#{target.Number}";
        Assert.Equal(expected, await FirstHitAsync([identifier], database, env));
        // Typed in lower case and narrowed to comments, it finds the same PR first.
        Assert.Equal(expected, await FirstHitAsync([identifier.ToLowerInvariant(), "--kind", "comment"], database, env));
    }

    private static async Task<string> FirstHitAsync(string[] query, string database, Dictionary<string, string> env)
    {
        await using var search = await PulseCliProcess.StartAsync(["search", .. query, "--database", database], env, Ct);
        Assert.True(await search.WaitAsync(TimeSpan.FromMinutes(3), Ct) == 0, search.Output);
        var first = Hit().Match(search.Output);
        Assert.True(first.Success, $"pulse search listed no hit:\n{search.Output}");
        Assert.Contains("/pull/", first.Value, StringComparison.Ordinal);
        return first.Groups[1].Value;
    }

    private static async Task CommentAsync(GitHubSimulatorServer sim, (string Repo, int Number) pr, string body)
    {
        using var http = sim.HttpClient();
        var mutation = new JsonObject
        {
            ["op"] = "add_comment", ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = pr.Repo, ["number"] = pr.Number,
            ["comment"] = new JsonObject { ["body"] = body, ["author"] = new JsonObject { ["__typename"] = "User", ["login"] = "planter" } },
        };
        using var response = await http.PostAsync("/_sim/mutate", new StringContent(mutation.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    // " 1. acme/widgets#12  comment  0.0325  https://github.com/acme/widgets/pull/12"
    [GeneratedRegex(@"^\s*1\. (\S+#\d+) .*$", RegexOptions.Multiline)]
    private static partial Regex Hit();
}
