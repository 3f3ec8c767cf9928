using Dapper;
using Pulse.Core.Search;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

/// <summary>
/// The transform's writes (<see cref="RowWriter"/>) mean the same on both backends however the backend sends a table's rows
/// (PostgreSQL: one statement over arrays, SQLite: one prepared statement per row): row order, repeated keys, unchanged texts.
/// </summary>
public abstract class RowWriterContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Comments_AKeyRepeatedInOneBatch_EndsAsItsLastCopyAndEveryCopyGetsItsRowsId()
    {
        var (tenantId, rows) = await PullRequestAsync();

        var ids = await rows.CommentsAsync(1, [("IC_1", "first draft wording", "ann", T0), ("IC_2", "unrelated remark", "bob", T0), ("IC_1", "final wording", "ann", T0.AddHours(1))]);

        Assert.Equal(ids[0], ids[2]);
        Assert.NotEqual(ids[0], ids[1]);
        var stored = await Database.ReadAsync(c => c.QueryAsync<(long Id, string Node, string Body)>(
            "SELECT id, node_id, body FROM prs_comments WHERE tenant_id = @tenantId ORDER BY node_id", new { tenantId }), Ct);
        Assert.Equal([(ids[0], "IC_1", "final wording"), (ids[1], "IC_2", "unrelated remark")], stored);
        var q = new SearchQuery(tenantId, "");
        Assert.Empty(await Stores.Search.KeywordAsync(q, SearchText.Terms("draft"), 10, Ct));
        Assert.Equal([await rows.DocumentAsync("prs_comments", ids[0])], await Stores.Search.KeywordAsync(q, SearchText.Terms("final"), 10, Ct));
    }

    [Fact]
    public async Task Comments_ManyRowsThenTheSameRowsAgain_IdsFollowTheRowsAndUnchangedDocumentsStayPut()
    {
        var (tenantId, rows) = await PullRequestAsync();
        var comments = Enumerable.Range(0, 250).Reverse().Select(i => ($"IC_{i:D3}", $"comment number {i}", i % 2 == 0 ? "ann" : "bob", T0.AddMinutes(i))).ToList();

        var first = await rows.CommentsAsync(1, comments);
        var documents = await DocumentIdsAsync(tenantId);
        var again = await rows.CommentsAsync(1, comments);

        Assert.Equal(first, again);
        var nodes = (await Database.ReadAsync(c => c.QueryAsync<(long Id, string Node)>("SELECT id, node_id FROM prs_comments WHERE tenant_id = @tenantId", new { tenantId }), Ct))
            .ToDictionary(r => r.Id, r => r.Node);
        Assert.Equal(comments.Select(x => x.Item1), first.Select(id => nodes[id]));
        Assert.Equal(documents, await DocumentIdsAsync(tenantId));
        Assert.Equal(250, documents.Count);
    }

    private async Task<(long TenantId, SearchRows Rows)> PullRequestAsync()
    {
        var (job, repository) = await NewJobAsync();
        var rows = new SearchRows(Database, job.TenantId, Ct);
        await rows.PullRequestAsync(repository.Id, 1, "OPEN", "ann", T0, "Writer", "");
        return (job.TenantId, rows);
    }

    private Task<List<(long Id, long RowId, string Text)>> DocumentIdsAsync(long tenantId) => Database.ReadAsync(async c =>
        (await c.QueryAsync<(long, long, string)>("SELECT id, row_id, text FROM search_documents WHERE tenant_id = @tenantId AND table_name = 'prs_comments' ORDER BY id",
            new { tenantId })).ToList(), Ct);
}

public sealed class SqliteRowWriterContract : RowWriterContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresRowWriterContract : RowWriterContract
{
    protected override bool Postgres => true;
}
