using Dapper;
using Npgsql;
using Pulse.Core.Queue;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Distributed;

public sealed class PoisonMessageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_WithAPoisonTransformMessage_DeadLettersItRecordsItsErrorAndCompletesTheRest()
    {
        var spec = SyntheticSpec.Parse("repos=2,prs=30,seed=29,big_body=false");
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0, Latency = TimeSpan.FromMilliseconds(40) }, Ct);
        await using var clean = new SyncHarness(Backend.Sqlite);
        Assert.True((await clean.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);

        await using var harness = new SyncHarness(Backend.Postgres);
        var database = await harness.PostgresAsync(Ct);
        var sync = harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct);

        // A transform item whose stored answer cannot be read: every attempt throws.
        long poison = 0, runId = 0, tenantId = 0;
        await WorkerProcessTests.WaitUntilAsync(async () =>
        {
            await using var c = new NpgsqlConnection(database);
            try
            {
                return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM raw_extraction_data") > 0 || sync.IsCompleted;
            }
            catch (PostgresException)
            {
                return false;   // the schema is not there yet
            }
        }, TimeSpan.FromMinutes(2));
        await using (var c = new NpgsqlConnection(database))
        {
            (runId, tenantId) = await c.QuerySingleAsync<(long, long)>("SELECT id, tenant_id FROM etl_job_runs");
            var rawId = await c.ExecuteScalarAsync<long>("""
                INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, entity_type, query_hash, variables, units, status, points, requests, created_at)
                SELECT tenant_id, integration_id, id, 'poison', 'poison', '{}', '"not a list of units"', 'pending', 0, 0, now() FROM etl_job_runs WHERE id = @runId
                RETURNING id
                """, new { runId });
            await c.ExecuteAsync("INSERT INTO raw_extraction_payloads (raw_id, payload) VALUES (@rawId, '{}')", new { rawId });
            poison = await c.ExecuteScalarAsync<long>("""
                INSERT INTO work_items (tenant_id, run_id, step, stage, raw_id, state, created_at, updated_at)
                VALUES (@tenantId, @runId, 'github_comments', 'transform', @rawId, 'pending', now(), now()) RETURNING id
                """, new { tenantId, runId, rawId });
        }
        await using (var queue = await TestServers.ConnectRabbitMqAsync(harness.QueuePrefix, Ct))
        {
            await queue.PublishAsync(new WorkMessage(QueueNames.Transform, tenantId, runId, poison), Ct);
            var result = await sync;

            // The run ends FAILED with the poisoned item's own error.
            Assert.False(result.Succeeded);
            Assert.StartsWith("transform of github_comments failed: gave up after 5 attempts: JsonException", result.Error);
            // The worker records the failure on the item, then moves the message, even though the run ended on the record:
            // the sync returns once its workers have stopped, so the message is in the dead-letter queue by now.
            Assert.Equal(1u, await queue.CountAsync(queue.DeadLetterNameOf(QueueNames.Transform), Ct));
        }

        await using var db = new NpgsqlConnection(database);
        var item = await db.QuerySingleAsync<(string State, string Error)>("SELECT state, error FROM work_items WHERE id = @poison", new { poison });
        Assert.Equal("failed", item.State);
        Assert.Contains("gave up after", item.Error);
        Assert.Contains("FAILED", await db.ExecuteScalarAsync<string>("SELECT overall FROM etl_jobs WHERE job_name = 'github_prs'"));
        // Every other item completed: the rows equal a clean run's.
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("SELECT count(*) FROM work_items WHERE state <> 'done'"));
        var (expected, actual) = (await clean.CanonicalDumpAsync(), await harness.CanonicalDumpAsync());
        FaultSuite.FaultSuiteLog.Compare(nameof(PoisonMessageTests), expected, actual);
        FaultSuite.FaultSuiteLog.Faults(nameof(PoisonMessageTests), 1);
        Assert.Equal(expected, actual);
    }
}
