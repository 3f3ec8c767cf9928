using System.Data;
using Dapper;
using Pulse.Storage.Sqlite;

namespace Pulse.Storage.Tests.Sqlite;

public sealed class SqliteCheckpointerTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pulse-checkpointer-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// 96 MB written in 384 commits of 256 KB. The writer's own checkpoint waits for 256 MB of WAL, so without the checkpointer
    /// the WAL would hold all 96 MB; with it the WAL starts over each time it passes 32 MB, and every row is in the file.
    /// </summary>
    [Fact]
    public async Task Write_ManyLargeCommits_WalStartsOverBelowItsBoundAndKeepsEveryRow()
    {
        var db = new SqliteDatabase(Path.Combine(_directory, "pulse.db"));
        await db.MigrateAsync(Ct);
        await db.WriteAsync((c, tx) => c.ExecuteAsync("CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB NOT NULL)", transaction: tx), Ct);
        var blob = new byte[256 * 1024];
        Random.Shared.NextBytes(blob);
        long largestWal = 0;

        for (var round = 0; round < 12; round++)
        {
            // One pass per round: it starts at the round's last commit, and the round waits for it to end.
            for (var i = 0; i < SqliteCheckpointer.CommitsPerPass; i++)
                await db.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO blobs (b) VALUES (@blob)", new { blob }, tx), Ct);
            await WaitAsync(() => !db.Checkpointer.Running);
            largestWal = Math.Max(largestWal, new FileInfo(db.Path + "-wal").Length);
        }

        Assert.InRange(largestWal, 1, 48L * 1024 * 1024);
        Assert.Equal(12L * SqliteCheckpointer.CommitsPerPass, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM blobs"), Ct));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        // A generous deadline on a loaded machine; the wait ends as soon as the condition holds.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The checkpoint pass did not end within 2 minutes.");
            await Task.Delay(20, Ct);
        }
    }
}
