using Dapper;
using Pulse.GitHubSimulator.Fixtures;
using Pulse.GitHubSimulator.Http;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Real GitHub answers (recorded by Apache DevLake's e2e suite), converted to a data set and synced.</summary>
public sealed class RecordedFixtureSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestServers.Backends), MemberType = typeof(TestServers))]
    public async Task Sync_RecordedDevLakeData_StoresTheRecordedValuesIncludingAll115CommitsOfPr7725(Backend backend)
    {
        var dataset = Path.Combine(Path.GetTempPath(), $"pulse-devlake-{Guid.NewGuid():N}.json");
        await using (var file = File.Create(dataset))
            FixtureConverter.Convert(Path.Combine(RepositoryRoot.Path, "third_party", "github-fixtures", FixtureConverter.DefaultFolder("devlake")), "devlake", file);
        try
        {
            await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { DatasetPath = dataset, ProcessingTimeScale = 0 }, Ct);
            await using var harness = new SyncHarness(backend);

            var result = await harness.SyncAsync(sim, "apache", ct: Ct);

            Assert.True(result.Succeeded, result.Error);
            await using var c = await harness.OpenAsync();
            Assert.Equal(161, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs"));
            var pr = await c.QuerySingleAsync<(long Id, long CommitsTotal)>("SELECT id, commits_total FROM prs WHERE number = 7725");
            Assert.Equal(115, pr.CommitsTotal);
            Assert.Equal(115, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs_commits WHERE pr_id = @Id", new { pr.Id }));
            var recorded = await c.QuerySingleAsync<(string Title, string State, string Author, object MergedAt, string HeadRef)>(
                "SELECT title, state, author_login, merged_at, head_ref_name FROM prs WHERE number = 7914");
            Assert.Equal("test(github/gitlab): add missing gitextractor plugins in github/gitlab's pipeline when there is no scope config", recorded.Title);
            Assert.Equal(("MERGED", "d4x1", "dev-1"), (recorded.State, recorded.Author, recorded.HeadRef));
            Assert.Equal(new DateTimeOffset(2024, 8, 19, 7, 56, 39, TimeSpan.Zero), recorded.MergedAt is DateTime d
                ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : DateTimeOffset.Parse((string)recorded.MergedAt, System.Globalization.CultureInfo.InvariantCulture));
            // Commit dates come from the git actor when GitHub's authoredDate was not recorded.
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs_commits WHERE committed_date IS NULL AND message NOT LIKE '%not in the recording'"));
            if (backend == Backend.Sqlite) Assert.Empty(await c.QueryAsync("PRAGMA foreign_key_check"));
        }
        finally
        {
            File.Delete(dataset);
        }
    }
}

internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Pulse.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pulse.slnx not found above the test assembly.");
    }
}

/// <summary>The mergestat cassettes and the gh-talk answers, reduced to what was recorded, synced end to end.</summary>
public sealed class RecordedAnswerSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(SyncHarness Harness, GitHubSimulatorServer Sim, string Path)> SyncAsync(string kind, string owner)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"pulse-{kind}-{Guid.NewGuid():N}.json");
        await using (var file = File.Create(path))
            FixtureConverter.ConvertRecordedOnly(System.IO.Path.Combine(RepositoryRoot.Path, "third_party", "github-fixtures", FixtureConverter.DefaultFolder(kind)), kind, file);
        var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { DatasetPath = path, ProcessingTimeScale = 0 }, Ct);
        var harness = new SyncHarness();
        var result = await harness.SyncAsync(sim, owner, ct: Ct);
        Assert.True(result.Succeeded, result.Error);
        return (harness, sim, path);
    }

    [Fact]
    public async Task Sync_RecordedMergestatAnswers_StoresTheRecordedValues()
    {
        var (harness, sim, path) = await SyncAsync("mergestat", "mergestat");
        try
        {
            await using var c = await harness.OpenAsync();
            var pr1 = await c.QuerySingleAsync<(string Title, string State, long Additions, string Author)>(
                "SELECT title, state, additions, author_login FROM prs WHERE number = 1");
            Assert.Equal(("address some golint issues", "MERGED", 7L, "patrickdevivo"), pr1);
            Assert.True(await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs") >= 50);
            // Values as recorded in TestPRComments, TestPRCommits and TestPRReviews.
            Assert.StartsWith("# [Codecov](https://codecov.io/gh/askgitdev/askgit/pull/193",
                await c.ExecuteScalarAsync<string>("SELECT c.body FROM prs_comments c JOIN prs p ON p.id = c.pr_id WHERE p.number = 193 AND c.node_id = 'IC_kwDOEIJSDM44AfEf'"),
                StringComparison.Ordinal);
            Assert.StartsWith("add a `topics` column to `github_user_repos` and `github_org_repos` tables",
                await c.ExecuteScalarAsync<string>("SELECT c.message FROM prs_commits c JOIN prs p ON p.id = c.pr_id WHERE p.number = 193 AND c.oid = 'cf8ca56e9e0fa106d42524cc965bbb1780920145'"),
                StringComparison.Ordinal);
            Assert.Equal([("PRR_kwDOEIJSDM41YD9j", "COMMENTED", "patrickdevivo"), ("PRR_kwDOEIJSDM41ivam", "APPROVED", "patrickdevivo")],
                (await c.QueryAsync<(string, string, string)>("SELECT r.node_id, r.state, r.author_login FROM prs_reviews r JOIN prs p ON p.id = r.pr_id WHERE p.number = 261 ORDER BY r.node_id")).ToList());
            Assert.Empty(await c.QueryAsync("PRAGMA foreign_key_check"));
        }
        finally
        {
            await sim.DisposeAsync();
            await harness.DisposeAsync();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Sync_RecordedGhTalkAnswers_StoresThreadsWithTheirCommentsAndResolution()
    {
        var (harness, sim, path) = await SyncAsync("ghtalk", "hamishmorgan");
        try
        {
            await using var c = await harness.OpenAsync();
            Assert.Equal(4, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs_review_threads"));
            Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM prs_review_threads WHERE is_resolved = 1"));
            Assert.Equal("Consider using a constant for the TODO comment",
                await c.ExecuteScalarAsync<string>("SELECT body FROM prs_comments WHERE node_id = 'PRRC_kwDOQN97u86UHqK7'"));
            Assert.Equal("PRRC_kwDOQN97u86UHqK7", await c.ExecuteScalarAsync<string>("SELECT reply_to_node_id FROM prs_comments WHERE node_id = 'PRRC_kwDOQN97u86UHqOo'"));
        }
        finally
        {
            await sim.DisposeAsync();
            await harness.DisposeAsync();
            File.Delete(path);
        }
    }
}
