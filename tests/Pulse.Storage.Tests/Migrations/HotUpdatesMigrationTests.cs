using Dapper;

namespace Pulse.Storage.Tests.Migrations;

/// <summary>
/// Migration 016 leaves room on PostgreSQL's checkpoint pages, so a lease (an update of no indexed column) rewrites the row
/// in place, a HOT update, instead of adding an entry to each of the table's indexes.
/// </summary>
public sealed class HotUpdatesMigrationTests
{
    private const int Checkpoints = 1_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_LeasingFreshlyWrittenCheckpoints_UpdatesEveryRowInPlace()
    {
        await using var db = await TestPostgres.OpenScratchAsync("pulse_migration_", Ct);
        var c = db.Connection;
        var all = TestPostgres.Migrations;
        Assert.Contains(all, m => m.Name == "016_hot_updates.sql");
        await db.MigrateAsync(all, Ct);
        // The checkpoints' run, tenant and repository are not the point here: their references are not checked.
        await c.ExecuteAsync("SET session_replication_role = replica");
        await c.ExecuteAsync("""
            INSERT INTO checkpoints (tenant_id, run_id, repository_id, kind, parent_node_id, pr_node_id)
            SELECT 1, 1, 1, 'commits', 'PR_' || i, 'PR_' || i FROM generate_series(1, @n) i
            """, new { n = Checkpoints });

        await using var tx = await c.BeginTransactionAsync(Ct);
        // The lease's statement as RelationalCheckpointStore.ClaimTurnAsync sends it, with an owner named as a worker names itself.
        var leased = await c.ExecuteAsync(
            "UPDATE checkpoints SET lease_owner = @owner, lease_until = @leaseUntil WHERE id = ANY(@ids)",
            new { owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}", leaseUntil = DateTimeOffset.UtcNow.AddMinutes(1), ids = (await c.QueryAsync<long>("SELECT id FROM checkpoints", transaction: tx)).ToArray() }, tx);
        // This transaction's own counts, read before they are reported to the statistics collector.
        var inPlace = await c.ExecuteScalarAsync<long>(
            "SELECT n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'checkpoints'", transaction: tx);

        Assert.Equal(Checkpoints, leased);
        Assert.Equal(Checkpoints, inPlace);
    }
}
