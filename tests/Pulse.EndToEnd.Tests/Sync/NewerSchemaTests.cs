using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Npgsql;
using Pulse.EndToEnd.Tests.Distributed;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>
/// A newer Pulse migrates the database while an older process runs on it (a rolling upgrade, one host at a time). The older
/// process stops serving within a beat and exits non-zero naming the migration it does not have, instead of writing rows the
/// way the old schema wanted; a worker also says so in the registry, so runs waiting on its stages fail naming it.
/// </summary>
public sealed class NewerSchemaTests
{
    /// <summary>What a newer build would have added: a version this build does not have.</summary>
    private const string NewerMigration = "999_from_a_newer_pulse";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Reason(string database) => $"the database '{database}' now holds schema migration {NewerMigration}, "
        + $"which this build of Pulse does not have: a newer Pulse migrated it. Upgrade Pulse on {Environment.MachineName} and start it again.";

    [Fact]
    public async Task Worker_DatabaseMigratedByANewerPulseWhileItRuns_ExitsNonZeroNamingTheMigrationAndRecordsItsRefusal()
    {
        await using var harness = new SyncHarness(Backend.Postgres);
        var database = await harness.PostgresAsync(Ct);
        var key = new Dictionary<string, string> { ["PULSE_SECRET_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        await using var worker = await PulseCliProcess.StartAsync(["worker", "--database", database, "--queue", TestServers.RabbitMqWithPrefix(harness.QueuePrefix),
            "--stages", "extract,transform", "--concurrency", "1"], key, Ct);
        await WorkerProcessTests.WaitUntilAsync(async () => worker.HasExited
            || await DistributedChecks.CountAsync(database, "SELECT count(*) FROM worker_presence WHERE refusal IS NULL") == 1, TimeSpan.FromMinutes(1));
        Assert.False(worker.HasExited, worker.Output);

        await using (var c = await harness.OpenAsync()) await MigrateAsNewerPulseAsync(c, "now()");
        var code = await worker.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var reason = Reason(new NpgsqlConnectionStringBuilder(database).Database!);
        Assert.Equal(1, code);
        Assert.Equal($"pulse worker: stopped: {reason}", LastLine(worker.Output));
        await using var check = await harness.OpenAsync();
        Assert.Equal([reason], await check.QueryAsync<string>("SELECT refusal FROM worker_presence"));
    }

    [Fact]
    public async Task EmbeddedSync_DatabaseMigratedByANewerPulseMidRun_FailsNamingTheMigrationAndKeepsTheRunToResume()
    {
        // Three points an hour on a held clock: the run spends them and then waits for a reset that does not come while the
        // test runs, so it is mid-run however fast or slow the machine is when the newer Pulse migrates the file.
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = SyntheticSpec.Parse("repos=2,prs=40,seed=61,big_body=false"), ProcessingTimeScale = 0, PointsPerHour = 3,
            TimeProvider = new HeldClock(DateTimeOffset.UtcNow),
        }, Ct);
        await using var harness = new SyncHarness(Backend.Sqlite);
        await using var sync = await PulseCliProcess.StartAsync(["sync", "--github-url", sim.GraphQLUrl.ToString(), "--token", "sim-token",
            "--owner", SyntheticDataset.OrganizationLogin, "--database", $"sqlite:{harness.DatabasePath}", "--no-embeddings", "--quiet"], new Dictionary<string, string>(), Ct);
        await WorkerProcessTests.WaitUntilAsync(async () => sync.HasExited || await harness.CommittedPagesAsync() >= 1,
            TimeSpan.FromMinutes(1));
        Assert.False(sync.HasExited, sync.Output);

        await using (var c = await harness.OpenAsync()) await MigrateAsNewerPulseAsync(c, "'2026-12-06T00:00:00Z'");
        var code = await sync.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, code);
        Assert.Equal($"pulse sync: failed: stopped: {Reason(Path.GetFullPath(harness.DatabasePath))}", LastLine(sync.Output));
        // Nothing stored is lost: the run and its pages stay for a sync of the newer build to resume.
        await using var check = await harness.OpenAsync();
        Assert.Equal("running", await check.ExecuteScalarAsync<string>("SELECT status FROM etl_job_runs"));
        Assert.True(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_extraction_data") >= 1);
    }

    [Fact]
    public async Task EmbeddedServe_DatabaseMigratedByANewerPulseWhileItRuns_ExitsNonZeroNamingTheMigration()
    {
        await using var harness = new SyncHarness(Backend.Sqlite);
        await using var serve = await ServeProcess.StartAsync(["--database", $"sqlite:{harness.DatabasePath}", "--no-embeddings"], new Dictionary<string, string>(), Ct);

        await using (var c = await harness.OpenAsync()) await MigrateAsNewerPulseAsync(c, "'2026-12-06T00:00:00Z'");
        var code = await serve.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(1, code);
        Assert.Equal($"pulse serve: stopped: {Reason(Path.GetFullPath(harness.DatabasePath))}", LastLine(serve.Output));
    }

    private static Task MigrateAsNewerPulseAsync(DbConnection c, string appliedAt) =>
        c.ExecuteAsync($"INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '{NewerMigration}', {appliedAt})");

    private static string LastLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
}
