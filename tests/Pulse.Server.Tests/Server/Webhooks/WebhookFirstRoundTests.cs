using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.Hosting;

namespace Pulse.Server.Tests.Server.Webhooks;

/// <summary>
/// A refresh sized by what Pulse holds (issue 15's points target): the comments of the threads it holds and the last items of a
/// connection it held past a page come in the first round, beside the PR, so the refresh asks GitHub once.
/// </summary>
public sealed class WebhookFirstRoundTests
{
    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Refresh_PullRequestsHeldWithThreadsOrPastAPage_OneQueryOnePoint(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await SyncedAsync(backend, ct);
        var details = await DetailsAsync(rig);
        static int Count(JsonElement d, string list) => d.GetProperty(list).GetArrayLength();
        // One PR with review threads and nothing past a page; one with more than a page (at most two) of comments.
        var threaded = details.First(d => Count(d.Detail, "threads") is > 0 and <= 10 && Count(d.Detail, "comments") <= 100 && Count(d.Detail, "commits") <= 100);
        var long_ = details.FirstOrDefault(d => Count(d.Detail, "comments") is > 100 and <= 190 && Count(d.Detail, "commits") <= 100 && Count(d.Detail, "threads") <= 10);
        Assert.True(long_.Key is not null, "the data set needs a PR with more than a page of comments");

        foreach (var (key, detail) in new[] { threaded, long_ })
        {
            var (repo, number) = Parse(key);
            await rig.ApplyAsync(Mutation(key, "add_comment", "comment", new JsonObject { ["body"] = $"first round {key}" }));

            var after = await rig.DetailAsync(repo, number);
            Assert.Equal(Count(detail, "comments") + 1, Count(after, "comments"));
            var run = await LatestRefreshAsync(rig, ct);
            Assert.Equal(("succeeded", 1L, 1L), (run.Status, run.Pages, run.Points));
        }
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Refresh_PullRequestPastTwoPagesOfCommits_UnchangedOnesKeptWithoutAsking_APushAsksThemInTheFirstRound(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = await SyncedAsync(backend, ct);
        static List<string> Oids(JsonElement d) => [.. d.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("oid").GetString()!).Order()];
        var (key, detail) = (await DetailsAsync(rig)).First(d => d.Detail.GetProperty("commits").GetArrayLength() > 200);
        var (repo, number) = Parse(key);

        // A comment leaves the commits as they were: one query, which asks none of them (before, the commits between the first page
        // and the tail took a second round), and every one is still there after the run's sweep.
        await rig.ApplyAsync(Mutation(key, "add_comment", "comment", new JsonObject { ["body"] = "kept commits" }));
        var commented = await rig.DetailAsync(repo, number);
        Assert.Equal(detail.GetProperty("comments").GetArrayLength() + 1, commented.GetProperty("comments").GetArrayLength());
        Assert.Equal(Oids(detail), Oids(commented));
        var run = await LatestRefreshAsync(rig, ct);
        Assert.Equal(("succeeded", 1L, 1L), (run.Status, run.Pages, run.Points));
        Assert.Equal([true], (await FirstAnswerAsync(rig, run.Id, ct)).Where(u => u.Kind == FetchKind.Commits).Select(u => u.Kept));

        // A push: its synchronize delivery has the commits asked in the first round (first page and tail), then the middle.
        const string pushed = "beef000000000000000000000000000000000001";
        await rig.ApplyAsync(Mutation(key, "add_commit", "commit", WebhookRefreshTests.Commit(pushed)));
        var after = await rig.DetailAsync(repo, number);
        Assert.Equal(Oids(detail).Append(pushed).Order(), Oids(after));
        run = await LatestRefreshAsync(rig, ct);
        Assert.Equal("succeeded", run.Status);
        Assert.Equal([false], (await FirstAnswerAsync(rig, run.Id, ct)).Where(u => u.Kind == FetchKind.Commits).Select(u => u.Kept));

        // What the refreshes left is what a fresh full sync of the same GitHub gives.
        var expected = await rig.FreshFullSyncAsync(ct);
        Assert.Equal(expected[key], (await rig.DetailsAsync())[key]);
    }

    /// <summary>The data set's PRs synced into a fresh server, through a rig whose deliveries are all sent.</summary>
    private static async Task<WebhookRig> SyncedAsync(Backend backend, CancellationToken ct)
    {
        var rig = await WebhookRig.StartAsync("repos=2,prs=16,seed=5,big_body=false", dropRate: 0, backend, ct);
        await rig.SyncAsync();
        return rig;
    }

    /// <summary>Every PR's detail, by its key ("owner/repo#number").</summary>
    private static async Task<List<(string Key, JsonElement Detail)>> DetailsAsync(WebhookRig rig) =>
        [.. (await rig.DetailsAsync()).Select(d => (d.Key, JsonDocument.Parse(d.Value).RootElement))];

    private static (string Repository, int Number) Parse(string key) =>
        (key.Split('#')[0], int.Parse(key.Split('#')[1], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The simulator's mutation <paramref name="op"/> of the PR <paramref name="key"/>, with its <paramref name="field"/>.</summary>
    private static JsonObject Mutation(string key, string op, string field, JsonObject value)
    {
        var (repository, number) = Parse(key);
        return new JsonObject
        {
            ["op"] = op, ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = repository.Split('/')[1], ["number"] = number, [field] = value,
        };
    }

    /// <summary>The units of the run's first stored answer: what its first round asked.</summary>
    private static async Task<List<RawUnit>> FirstAnswerAsync(WebhookRig rig, long runId, CancellationToken ct)
    {
        var units = await rig.Server.App.Services.GetRequiredService<PulseBackend>().Database.Relational.ReadAsync(c =>
            c.QueryFirstAsync<string>("SELECT units FROM raw_extraction_data WHERE run_id = @runId ORDER BY id", new { runId }), ct);
        return JsonSerializer.Deserialize<List<RawUnit>>(units)!;
    }

    private static async Task<RunSummary> LatestRefreshAsync(WebhookRig rig, CancellationToken ct)
    {
        var jobs = rig.Server.App.Services.GetRequiredService<IJobStore>();
        var tenant = (await jobs.GetJobAsync(rig.JobId, ct))!.TenantId;
        var refresh = Assert.Single(await jobs.ListAsync(tenant, GitHubPrJob.RefreshJobName, ct));
        return (await rig.Server.App.Services.GetRequiredService<IRunStore>().ListRunsAsync(refresh.Id, 1, ct))[0];
    }
}
