using Dapper;
using Npgsql;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>What every distributed end-to-end test checks against the shared PostgreSQL database.</summary>
internal static class DistributedChecks
{
    /// <summary>The run succeeded, and each of the 4 steps × 3 stages ended exactly once, as finished (run_stage_events).</summary>
    public static async Task RunSucceededEachStageFinishedOnceAsync(NpgsqlConnection c)
    {
        Assert.Equal("succeeded", await c.ExecuteScalarAsync<string>("SELECT status FROM etl_job_runs"));
        var ends = (await c.QueryAsync<(string Step, string Stage, string State, long Count)>(
            "SELECT step, stage, state, count(*) FROM run_stage_events WHERE state IN ('finished', 'failed') GROUP BY step, stage, state")).ToList();
        Assert.Equal(12, ends.Count);
        Assert.All(ends, e => Assert.True(e is { State: "finished", Count: 1 }, $"{e.Step}/{e.Stage} ended {e.Count} times as {e.State}"));
    }

    /// <summary>A count while a child process works on the database: 0 until that process has migrated it.</summary>
    public static async Task<long> CountAsync(string database, string sql)
    {
        await using var c = new NpgsqlConnection(database);
        try
        {
            return await c.ExecuteScalarAsync<long>(sql);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;   // the child process has not migrated the database yet
        }
    }
}
