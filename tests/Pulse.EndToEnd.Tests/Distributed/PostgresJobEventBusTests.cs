using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using Pulse.Core.Jobs;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.Storage.Postgres;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>Job status events across processes: NOTIFY carries ids, the listener reads the status from the database.</summary>
public sealed class PostgresJobEventBusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_FromAnotherProcess_DeliversTheStatusTheDatabaseHoldsNotThePublishersCopy()
    {
        await using var harness = new SyncHarness(Backend.Postgres);
        var connection = await harness.PostgresAsync(Ct);
        var (listenerStorage, listenerDb) = await PostgresStorage.OpenAsync(connection, Ct);
        var (workerStorage, workerDb) = await PostgresStorage.OpenAsync(connection, Ct);
        await using (listenerDb)
        await using (workerDb)
        {
            var (tenantId, jobId) = await PostgresServerStoreTests.NewJobAsync(workerStorage);
            var listener = new PostgresJobEventBus(listenerDb, listenerStorage.Runs, TimeProvider.System, "serve:1", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            var received = new ConcurrentQueue<JobStatusChanged>();
            using var subscription = listener.Subscribe(e => { received.Enqueue(e); return Task.CompletedTask; });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var listening = listener.ListenAsync(stop.Token);

            // On connect the listener reads every job once: nothing published before it listened is missed.
            await WaitForAsync(received, e => e.JobId == jobId && e.Status.Overall == OverallStatus.Ready);

            var worker = new PostgresJobEventBus(workerDb, workerStorage.Runs, TimeProvider.System, "worker:7, on host a", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            var resumeAt = DateTimeOffset.UtcNow.AddMinutes(7);
            Assert.True(await workerStorage.Jobs.SetOverallAsync(jobId, OverallStatus.RateLimited, resumeAt, null, Ct));
            var stale = new JobStatus("NOT-WHAT-THE-DATABASE-SAYS", null, new Dictionary<string, StepStatus>(), null, null);
            var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await worker.PublishAsync(new JobStatusChanged(tenantId, jobId, stale, sentAt), Ct);

            var change = await WaitForAsync(received, e => e.Status.Overall == OverallStatus.RateLimited);
            Assert.Equal((tenantId, jobId, sentAt, "worker:7, on host a"), (change.TenantId, change.JobId, change.Timestamp, change.Source));
            Assert.Equal(resumeAt.ToUnixTimeSeconds(), change.Status.RateLimitResumeAt?.ToUnixTimeSeconds());
            Assert.DoesNotContain(received, e => e.Status.Overall == stale.Overall);

            await stop.CancelAsync();
            await listening.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    [Fact]
    public async Task Listener_ConnectionKilled_ReconnectsAndRereadsEveryJobSoChangesMadeMeanwhileArrive()
    {
        await using var harness = new SyncHarness(Backend.Postgres);
        var connection = await harness.PostgresAsync(Ct);
        var (storage, db) = await PostgresStorage.OpenAsync(connection, Ct);
        await using (db)
        {
            var (_, first) = await PostgresServerStoreTests.NewJobAsync(storage);
            var (secondTenant, second) = await PostgresServerStoreTests.NewJobAsync(storage);
            var listener = new PostgresJobEventBus(db, storage.Runs, TimeProvider.System, "serve:1", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance) { ReconnectDelay = TimeSpan.FromSeconds(2) };
            var received = new ConcurrentQueue<JobStatusChanged>();
            using var subscription = listener.Subscribe(e => { received.Enqueue(e); return Task.CompletedTask; });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var listening = listener.ListenAsync(stop.Token);
            await WaitForAsync(received, e => e.JobId == second);
            Assert.Equal(1, listener.Connects);

            // The listening session dies (a server restart, a network cut); a change made before it is back (2 s) sends it no NOTIFY.
            Assert.Equal(1, await TerminateListenerAsync(connection));
            Assert.True(await storage.Jobs.SetOverallAsync(first, OverallStatus.RateLimited, DateTimeOffset.UtcNow.AddMinutes(3), null, Ct));
            await WaitForAsync(received, e => e.JobId == first && e.Status.Overall == OverallStatus.RateLimited);
            Assert.True(listener.Connects >= 2, $"connected {listener.Connects} times");

            // And it listens again: a NOTIFY after the reconnect arrives.
            Assert.True(await storage.Jobs.SetOverallAsync(second, OverallStatus.Running, null, null, Ct));
            await listener.PublishAsync(new JobStatusChanged(secondTenant, second, null!, DateTimeOffset.UtcNow), Ct);
            await WaitForAsync(received, e => e.JobId == second && e.Status.Overall == OverallStatus.Running);

            await stop.CancelAsync();
            await listening.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
    }

    private static async Task<int> TerminateListenerAsync(string connection)
    {
        await using var admin = new NpgsqlConnection(TestServers.Postgres);
        var sessions = 0;
        await WorkerProcessTests.WaitUntilAsync(async () => (sessions = (await admin.QueryAsync<bool>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND application_name = @app",
            new { name = new NpgsqlConnectionStringBuilder(connection).Database, app = PostgresJobEventBus.ListenerName })).Count(x => x)) > 0, TimeSpan.FromSeconds(30));
        return sessions;
    }

    private static async Task<JobStatusChanged> WaitForAsync(ConcurrentQueue<JobStatusChanged> received, Func<JobStatusChanged, bool> match)
    {
        JobStatusChanged? found = null;
        await WorkerProcessTests.WaitUntilAsync(() => Task.FromResult((found = received.FirstOrDefault(match)) is not null), TimeSpan.FromSeconds(60));
        return found!;
    }
}
