using System.Text.Json.Nodes;
using Dapper;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;

namespace Pulse.EndToEnd.Tests.BadInput;

/// <summary>GitHub answers that are odd but real: no crash, no lost row, and a recorded normalisation where one applies.</summary>
public sealed class GitHubAnswerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonObject Pr(int number, JsonObject fields)
    {
        var pr = new JsonObject
        {
            ["id"] = $"PR_odd_{number}", ["databaseId"] = 3_000_000_000L + number, ["number"] = number, ["title"] = $"PR {number}", ["body"] = "",
            ["state"] = "OPEN", ["isDraft"] = false, ["createdAt"] = "2025-01-01T00:00:00Z", ["updatedAt"] = $"2025-01-02T00:00:{number:00}Z",
            ["author"] = new JsonObject { ["__typename"] = "User", ["login"] = "jane" },
            ["commits"] = new JsonArray(new JsonObject { ["id"] = $"PURC_odd_{number}", ["commit"] = new JsonObject { ["oid"] = $"{number:x40}", ["message"] = "m",
                ["committedDate"] = "2025-01-01T00:00:00Z", ["authoredDate"] = "2025-01-01T00:00:00Z" } }),
        };
        foreach (var (k, v) in fields) pr[k] = v?.DeepClone();
        return pr;
    }

    [Fact]
    public async Task Sync_OddButRealAnswers_StoresEveryRowFaithfullyOrWithTheRecordedNormalisation()
    {
        var huge = new string('x', 1_048_576);
        var dataset = new JsonObject
        {
            ["format"] = "pulse-github-dataset/1", ["generatedAt"] = "2025-02-01T00:00:00Z",
            // What these hand-made answers leave out is served as zero only because it is declared (DATASET.md); PR 2's null title too.
            ["absentFields"] = new JsonArray(
                "PullRequest.title", "PullRequest.url", "PullRequest.baseRefName", "PullRequest.headRefName", "PullRequest.baseRefOid", "PullRequest.headRefOid",
                "PullRequest.additions", "PullRequest.deletions", "PullRequest.changedFiles", "PullRequest.labels", "PullRequest.reviews",
                "PullRequest.comments", "PullRequest.reviewThreads", "Commit.additions", "Commit.deletions", "PullRequestReview.updatedAt",
                "Repository.isPrivate", "Repository.isArchived", "Repository.isFork", "Repository.updatedAt"),
            ["owners"] = new JsonArray(new JsonObject { ["login"] = "odd", ["__typename"] = "Organization" }),
            ["repositories"] = new JsonArray(new JsonObject
            {
                ["id"] = "R_odd", ["databaseId"] = 1, ["owner"] = "odd", ["name"] = "things", ["createdAt"] = "2024-01-01T00:00:00Z",
                ["pullRequests"] = new JsonArray(
                    Pr(1, new JsonObject { ["state"] = "SUPERSEDED" }),
                    Pr(2, new JsonObject { ["title"] = null }),
                    Pr(3, new JsonObject { ["body"] = "before\u0000after 🚀 שלום مرحبا" }),
                    Pr(4, new JsonObject { ["body"] = huge }),
                    Pr(5, new JsonObject
                    {
                        ["author"] = null,
                        ["comments"] = new JsonArray(new JsonObject { ["id"] = "IC_odd_ghost", ["databaseId"] = 2_148_732_281L, ["author"] = null, ["body"] = "from a deleted account",
                            ["createdAt"] = "2025-01-01T01:00:00Z", ["updatedAt"] = "2025-01-01T01:00:00Z" }),
                        ["reviews"] = new JsonArray(new JsonObject { ["id"] = "PRR_odd_bot", ["databaseId"] = 7, ["author"] = new JsonObject { ["__typename"] = "Bot", ["login"] = "dependabot" },
                            ["state"] = "COMMENTED", ["body"] = "bot says", ["createdAt"] = "2025-01-01T02:00:00Z", ["submittedAt"] = "2025-01-01T02:00:00Z" }),
                    })),
            }),
        };
        var path = Path.Combine(Path.GetTempPath(), $"pulse-odd-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, dataset.ToJsonString(), Ct);
        try
        {
            await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { DatasetPath = path, ProcessingTimeScale = 0 }, Ct);
            await using var harness = new SyncHarness();

            var result = await harness.SyncAsync(sim, "odd", ct: Ct);

            Assert.True(result.Succeeded, result.Error);
            await using var c = await harness.OpenAsync();
            Assert.Equal(5, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs"));
            Assert.Equal("SUPERSEDED", await c.ExecuteScalarAsync<string>("SELECT state FROM prs WHERE number = 1"));
            Assert.Equal("", await c.ExecuteScalarAsync<string>("SELECT title FROM prs WHERE number = 2"));
            Assert.Equal("before\uFFFDafter 🚀 שלום مرحبا", await c.ExecuteScalarAsync<string>("SELECT body FROM prs WHERE number = 3"));
            Assert.Equal(huge.Length, await c.ExecuteScalarAsync<long>("SELECT length(body) FROM prs WHERE number = 4"));
            Assert.Null(await c.ExecuteScalarAsync<string>("SELECT author_login FROM prs WHERE number = 5"));
            Assert.Equal(2_148_732_281L, await c.ExecuteScalarAsync<long>("SELECT database_id FROM prs_comments WHERE node_id = 'IC_odd_ghost'"));
            Assert.Equal(("dependabot", "Bot"), await c.QuerySingleAsync<(string, string)>("SELECT author_login, author_type FROM prs_reviews WHERE node_id = 'PRR_odd_bot'"));
            Assert.Equal(3_000_000_004L, await c.ExecuteScalarAsync<long>("SELECT database_id FROM prs WHERE number = 4"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
