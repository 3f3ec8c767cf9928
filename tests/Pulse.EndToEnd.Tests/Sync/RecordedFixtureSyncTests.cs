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
