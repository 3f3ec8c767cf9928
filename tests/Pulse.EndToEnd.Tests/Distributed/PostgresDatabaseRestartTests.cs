using Dapper;
using Npgsql;
using Pulse.Storage.Postgres;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>A unit of work against a PostgreSQL server that is restarting: it waits for the server, within a bound.</summary>
[Collection(PrivateServersCollection.Name)]
public sealed class PostgresDatabaseRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WriteAsync_ServerDownWhenCalledAndBackLater_CommitsOnceItIsBack()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await using var db = new PostgresDatabase(pg.ConnectionString);
        await db.WriteAsync((c, tx) => c.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY)", transaction: tx), Ct);
        await pg.StopAsync();

        var write = db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t VALUES (1)", transaction: tx), Ct);
        // The write is under way against a stopped server: it must wait, not fail.
        await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(3), Ct));
        Assert.False(write.IsCompleted, $"the write ended while the server was down: {write.Exception?.InnerException?.Message}");
        await pg.StartAgainAsync();

        Assert.Equal(1, await write.WaitAsync(TimeSpan.FromMinutes(2), Ct));
        Assert.Equal(1, await db.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT count(*) FROM t"), Ct));
    }

    [Fact]
    public async Task WriteAsync_ServerDownLongerThanTheTolerance_FailsWithTheConnectionError()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await using var db = new PostgresDatabase(pg.ConnectionString, new PostgresRetryOptions { OutageTolerance = TimeSpan.FromSeconds(2) });
        await db.WriteAsync((c, tx) => c.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY)", transaction: tx), Ct);
        await pg.StopAsync();

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() =>
            db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO t VALUES (1)", transaction: tx), Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct));
        Assert.True(error.IsTransient, error.ToString());
    }
}
