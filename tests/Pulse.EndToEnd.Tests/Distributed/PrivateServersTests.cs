using Dapper;
using Npgsql;
using Pulse.Core.Queue;
using Pulse.Queue.RabbitMq;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>The restart fixture itself: a private server keeps its data across a stop and start, on the same address.</summary>
[Collection(PrivateServersCollection.Name)]
public sealed class PrivateServersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PrivatePostgres_StoppedAndStartedAgain_KeepsCommittedRowsAndHasPgvector()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        await using (var c = new NpgsqlConnection(pg.ConnectionString))
        {
            await c.ExecuteAsync("CREATE EXTENSION vector; CREATE TABLE kept (v vector(3)); INSERT INTO kept VALUES ('[1,2,3]')");
        }
        NpgsqlConnection.ClearAllPools();
        await pg.StopAsync();
        await using (var down = new NpgsqlConnection(pg.ConnectionString + ";Pooling=false"))
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => down.OpenAsync(Ct));

        await pg.StartAgainAsync();
        await using var again = new NpgsqlConnection(pg.ConnectionString);
        Assert.Equal("[1,2,3]", await again.ExecuteScalarAsync<string>("SELECT v::text FROM kept"));
    }

    [Fact]
    public async Task PrivateRabbitMq_StoppedAndStartedAgain_KeepsPersistentMessagesOfDurableQueues()
    {
        await using var rmq = await PrivateRabbitMq.StartAsync();
        var options = RabbitMqOptions.Parse(rmq.Uri + "?prefix=fixture.");
        var message = new WorkMessage(QueueNames.Transform, 1, 2, 3);
        await using (var queue = await RabbitMqQueue.ConnectAsync(options, Ct))
        {
            await queue.PublishAsync(message, Ct);
        }
        await rmq.StopAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => RabbitMqQueue.ConnectAsync(options, Ct));

        await rmq.StartAgainAsync();
        await using var restarted = await RabbitMqQueue.ConnectAsync(options, Ct);
        Assert.Equal(1u, await restarted.CountAsync(restarted.NameOf(QueueNames.Transform), Ct));
    }
}
