using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Synthetic;

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
        await using var rig = await WebhookRig.StartAsync("repos=2,prs=16,seed=5,big_body=false", dropRate: 0, backend, ct);
        await rig.SyncAsync();
        var details = (await rig.DetailsAsync()).Select(d => (Key: d.Key, Detail: JsonDocument.Parse(d.Value).RootElement)).ToList();
        static int Count(JsonElement d, string list) => d.GetProperty(list).GetArrayLength();
        // One PR with review threads and nothing past a page; one with more than a page (at most two) of comments.
        var threaded = details.First(d => Count(d.Detail, "threads") is > 0 and <= 10 && Count(d.Detail, "comments") <= 100 && Count(d.Detail, "commits") <= 100);
        var long_ = details.FirstOrDefault(d => Count(d.Detail, "comments") is > 100 and <= 190 && Count(d.Detail, "commits") <= 100 && Count(d.Detail, "threads") <= 10);
        Assert.True(long_.Key is not null, "the data set needs a PR with more than a page of comments");

        foreach (var (key, detail) in new[] { threaded, long_ })
        {
            var (repo, number) = (key.Split('#')[0].Split('/')[1], int.Parse(key.Split('#')[1], System.Globalization.CultureInfo.InvariantCulture));
            await rig.ApplyAsync(new JsonObject
            {
                ["op"] = "add_comment", ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = repo, ["number"] = number,
                ["comment"] = new JsonObject { ["body"] = $"first round {key}" },
            });

            var after = await rig.DetailAsync(key.Split('#')[0], number);
            Assert.Equal(Count(detail, "comments") + 1, Count(after, "comments"));
            var run = await LatestRefreshAsync(rig, ct);
            Assert.Equal(("succeeded", 1L, 1L), (run.Status, run.Pages, run.Points));
        }
    }

    private static async Task<RunSummary> LatestRefreshAsync(WebhookRig rig, CancellationToken ct)
    {
        var jobs = rig.Server.App.Services.GetRequiredService<IJobStore>();
        var tenant = (await jobs.GetJobAsync(rig.JobId, ct))!.TenantId;
        var refresh = Assert.Single(await jobs.ListAsync(tenant, GitHubPrJob.RefreshJobName, ct));
        return (await rig.Server.App.Services.GetRequiredService<IRunStore>().ListRunsAsync(refresh.Id, 1, ct))[0];
    }
}
