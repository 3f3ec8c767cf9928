using Dapper;
using Npgsql;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.Storage.Postgres;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>The server's PostgreSQL stores where they differ from SQLite's: many serve processes share one database.</summary>
public sealed class PostgresServerStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryLease_TwoServeProcessesRaceForOneJob_ExactlyOneGetsItUntilItIsReleasedOrExpires()
    {
        await using var harness = new SyncHarness(Backend.Postgres);
        var connection = await harness.PostgresAsync(Ct);
        // Two data sources, two pools: as two serve processes on two hosts.
        var (firstStores, first) = await PostgresStorage.OpenAsync(connection, Ct);
        var (secondStores, second) = await PostgresStorage.OpenAsync(connection, Ct);
        await using (first)
        await using (second)
        {
            var (tenantId, jobId) = await NewJobAsync(firstStores);
            var (a, b) = (firstStores.Leases, secondStores.Leases);
            var now = DateTimeOffset.UtcNow;
            for (var round = 0; round < 25; round++)
            {
                var takeA = a.TryLeaseAsync(jobId, tenantId, "serve-a", now, now.AddMinutes(1), Ct);
                var takeB = b.TryLeaseAsync(jobId, tenantId, "serve-b", now, now.AddMinutes(1), Ct);
                var (gotA, gotB) = (await takeA, await takeB);
                Assert.True(gotA ^ gotB, $"round {round}: serve-a got it {gotA}, serve-b got it {gotB}");
                var (winner, loser, owner, other) = gotA ? (a, b, "serve-a", "serve-b") : (b, a, "serve-b", "serve-a");
                Assert.False(await loser.RenewLeaseAsync(jobId, other, now.AddMinutes(2), Ct));
                await loser.ReleaseLeaseAsync(jobId, other, Ct);   // not its lease: nothing happens
                Assert.False(await loser.TryLeaseAsync(jobId, tenantId, other, now, now.AddMinutes(1), Ct));
                Assert.True(await winner.RenewLeaseAsync(jobId, owner, now.AddMinutes(1), Ct));
                await winner.ReleaseLeaseAsync(jobId, owner, Ct);
            }

            // A crashed owner never releases: its lease is taken over once it has expired, not before.
            Assert.True(await a.TryLeaseAsync(jobId, tenantId, "crashed", now, now.AddSeconds(30), Ct));
            Assert.False(await b.TryLeaseAsync(jobId, tenantId, "serve-b", now.AddSeconds(29), now.AddMinutes(1), Ct));
            Assert.True(await b.TryLeaseAsync(jobId, tenantId, "serve-b", now.AddSeconds(31), now.AddMinutes(1), Ct));
            Assert.False(await a.RenewLeaseAsync(jobId, "crashed", now.AddMinutes(5), Ct));
        }
    }

    [Fact]
    public async Task ApiKeys_StoredAsHash_FindTheirTenantAndNothingElse()
    {
        await using var harness = new SyncHarness(Backend.Postgres);
        var (storage, db) = await PostgresStorage.OpenAsync(await harness.PostgresAsync(Ct), Ct);
        await using (db)
        {
            var keys = storage.Tenants;
            var tenant = await keys.CreateTenantAsync("acme", Ct);
            Assert.NotNull(tenant);
            Assert.Null(await keys.CreateTenantAsync("acme", Ct));
            var key = await keys.AddKeyAsync(tenant.Id, "ci", "hash-of-the-key", "pk_abc123", Ct);
            Assert.Equal(("ci", "pk_abc123", tenant.Id), (key.Name, key.Prefix, key.TenantId));
            Assert.Equal(tenant.Id, await keys.FindTenantAsync("hash-of-the-key", Ct));
            Assert.Null(await keys.FindTenantAsync("another-hash", Ct));
            Assert.Equal("acme", (await keys.GetTenantAsync(tenant.Id, Ct))?.Name);
            await using var c = new NpgsqlConnection(db.ConnectionString);
            Assert.Equal("hash-of-the-key", await c.ExecuteScalarAsync<string>("SELECT key_hash FROM api_keys"));
        }
    }

    [Fact]
    public async Task Integrations_CreateUpdateDelete_TokenStaysProtectedAndDeleteTakesTheRunsAndTheLease()
    {
        await using var harness = new SyncHarness(Backend.Postgres);
        var (storage, db) = await PostgresStorage.OpenAsync(await harness.PostgresAsync(Ct), Ct);
        await using (db)
        {
            var (tenantId, jobId) = await NewJobAsync(storage);
            var integrations = storage.Integrations;
            var integration = (await integrations.ListAsync(tenantId, Ct)).Single();
            Assert.Null(await integrations.CreateAsync(tenantId, integration.GraphQLUrl, integration.Owner, "other", new IntegrationSettings(), DateTimeOffset.UtcNow, Ct));
            Assert.True(await integrations.UpdateAsync(tenantId, integration.Id,
                new IntegrationChange(null, "renamed", null, new IntegrationSettings { PageSize = 25, RepositoryFilters = ["api-*"] }), Ct));
            var updated = await integrations.GetAsync(tenantId, integration.Id, Ct);
            Assert.Equal(("renamed", 25, "api-*"), (updated!.Owner, updated.Settings.PageSize, updated.Settings.RepositoryFilters.Single()));
            Assert.Equal("protected-token", (await storage.Integrations.GetAsync(tenantId, integration.Id, Ct))!.ProtectedToken);
            Assert.False(await integrations.UpdateAsync(tenantId + 1, integration.Id, new IntegrationChange(null, "x", null, null), Ct));

            await storage.Runs.StartRunAsync(new RunStart(tenantId, jobId, integration.Id, DateTimeOffset.UtcNow, null, false, [], 100), Ct);
            var now = DateTimeOffset.UtcNow;
            Assert.True(await storage.Leases.TryLeaseAsync(jobId, tenantId, "serve", now, now.AddMinutes(1), Ct));
            Assert.Single(await storage.Runs.ListRunsAsync(jobId, 10, Ct));

            Assert.False(await integrations.DeleteAsync(tenantId + 1, integration.Id, Ct));
            Assert.True(await integrations.DeleteAsync(tenantId, integration.Id, Ct));
            await using var c = new NpgsqlConnection(db.ConnectionString);
            foreach (var table in new[] { "integrations", "etl_jobs", "etl_job_runs", "run_stages", "run_steps", "job_leases" })
                Assert.True(await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}") == 0, $"{table} still has rows");
        }
    }

    /// <summary>A tenant with one integration and its github_prs job, as the API creates them.</summary>
    internal static async Task<(long TenantId, long JobId)> NewJobAsync(PulseStorage storage)
    {
        var tenant = (await storage.Tenants.CreateTenantAsync($"tenant-{Guid.NewGuid():N}", Ct))!;
        await storage.Integrations.CreateAsync(tenant.Id, new Uri("http://127.0.0.1:1/graphql"), "org", "protected-token", new IntegrationSettings(),
            DateTimeOffset.UtcNow.AddHours(4), Ct);
        var job = (await storage.Jobs.ListAsync(tenant.Id, GitHubPrJob.Name, Ct)).Single();
        Assert.Equal(OverallStatus.Ready, job.Overall);
        return (tenant.Id, job.Id);
    }
}
