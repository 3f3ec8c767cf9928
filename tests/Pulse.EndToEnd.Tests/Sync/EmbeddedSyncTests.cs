using Dapper;
using Pulse.Core.Jobs;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

public sealed class EmbeddedSyncTests
{
    private static SimulatorOptions Options(string synthetic) => new() { Synthetic = SyntheticSpec.Parse(synthetic), ProcessingTimeScale = 0 };

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_HeavyTailedOrganisation_StoresEveryConnectionCompletely(Backend backend)
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(Options("repos=3,prs=60,seed=3,commits_max=300"), TestContext.Current.CancellationToken);
        await using var harness = new SyncHarness(backend);

        var result = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Error);
        await using var c = await harness.OpenAsync();
        var expected = await SimulatorQueries.PullRequestCountAsync(sim, SyntheticDataset.OrganizationLogin, TestContext.Current.CancellationToken);
        Assert.True(expected > 0);
        Assert.Equal(expected, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs"));
        var incomplete = (await c.QueryAsync<string>("""
            SELECT p.number || ': commits ' || p.commits_total || '/' || (SELECT count(*) FROM prs_commits x WHERE x.pr_id = p.id)
              || ' reviews ' || p.reviews_total || '/' || (SELECT count(*) FROM prs_reviews x WHERE x.pr_id = p.id)
              || ' comments ' || p.comments_total || '/' || (SELECT count(*) FROM prs_comments x WHERE x.pr_id = p.id AND x.comment_type = 'issue')
              || ' threads ' || p.review_threads_total || '/' || (SELECT count(*) FROM prs_review_threads x WHERE x.pr_id = p.id)
            FROM prs p
            WHERE p.commits_total <> (SELECT count(*) FROM prs_commits x WHERE x.pr_id = p.id)
               OR p.reviews_total <> (SELECT count(*) FROM prs_reviews x WHERE x.pr_id = p.id)
               OR p.comments_total <> (SELECT count(*) FROM prs_comments x WHERE x.pr_id = p.id AND x.comment_type = 'issue')
               OR p.review_threads_total <> (SELECT count(*) FROM prs_review_threads x WHERE x.pr_id = p.id)
            """)).ToList();
        Assert.Empty(incomplete);
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT max(commits_total) FROM prs") > 250, "the data set must hold a PR past 250 commits");
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT max(review_threads_total) FROM prs") > 100, "the data set must hold a PR past 100 threads");
        // PostgreSQL enforces every foreign key on write; SQLite is asked.
        if (backend == Backend.Sqlite) Assert.Empty(await c.QueryAsync("PRAGMA foreign_key_check"));
    }

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_Completes_EachStageFinishesExactlyOnceAndTheJobOnce(Backend backend)
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(Options("repos=2,prs=30,seed=5"), TestContext.Current.CancellationToken);
        await using var harness = new SyncHarness(backend);

        var result = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: TestContext.Current.CancellationToken);

        Assert.True(result.Succeeded, result.Error);
        await using var c = await harness.OpenAsync();
        var stages = (await c.QueryAsync<(string Step, string Stage, string State)>("SELECT step, stage, state FROM run_stages WHERE run_id = @id", new { id = result.RunId })).ToList();
        Assert.Equal(12, stages.Count);
        Assert.All(stages, s => Assert.Equal(StageState.Finished, s.State));
        // Each stage's finish was published once: the first event showing it finished, never a second flip.
        foreach (var step in GitHubPrJob.Steps)
            Assert.Equal(1, FinishTransitions(harness.Events, step.Name));
        Assert.Equal(1, harness.Events.Count(e => e.Status.Overall == OverallStatus.Finished && e.Status.RunId == result.RunId)
            - harness.Events.Zip(harness.Events.Skip(1)).Count(p => p.First.Status.Overall == OverallStatus.Finished && p.Second.Status.Overall == OverallStatus.Finished));
        Assert.Equal("FINISHED", await c.ExecuteScalarAsync<string>("SELECT overall FROM etl_jobs WHERE job_name = 'github_prs'"));
        Assert.NotNull(await c.ExecuteScalarAsync<object>("SELECT last_sync_date FROM etl_jobs WHERE job_name = 'github_prs'"));
    }

    private static int FinishTransitions(List<JobStatusChanged> events, string step)
    {
        var count = 0;
        string? previous = null;
        foreach (var e in events)
        {
            var state = e.Status.Steps[step].Embedding;
            if (state == StageState.Finished && previous != StageState.Finished) count++;
            previous = state;
        }
        return count;
    }
}
