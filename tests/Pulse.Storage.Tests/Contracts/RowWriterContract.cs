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

    [Fact]
    public async Task ParentPullRequests_ARowThisRunWrote_IsLeftAloneAndTheirRowsFindIt()
    {
        var (job, repository) = await NewJobAsync();
        var listed = Pr(repository.Id, "Listed title");
        await WriteAsync(job.TenantId, runId: 7, w => w.PullRequestsAsync([listed]));

        // A later page of the same run: the PR's labels, with a copy of the PR's fields taken a moment later.
        await WriteAsync(job.TenantId, runId: 7, async w =>
        {
            // With a PR no page has written yet: on PostgreSQL both go as one statement, which names the row it left alone with null.
            await w.ParentPullRequestsAsync([Pr(repository.Id, "Copy title"), Pr(repository.Id, "Unlisted yet", "PR_other"), Pr(repository.Id, "Copy title")]);
            await w.LabelsAsync([new LabelRow(listed.NodeId, "LA_1", "bug")]);
        });

        Assert.Equal(("Listed title", 7L), await StoredAsync(job.TenantId));
        Assert.Equal(("Unlisted yet", 7L), await StoredAsync(job.TenantId, "PR_other"));
        Assert.Equal(1L, await CountAsync("SELECT count(*) FROM prs_labels l JOIN prs p ON p.id = l.pr_id WHERE p.node_id = @node", listed.NodeId));
        var q = new SearchQuery(job.TenantId, "");
        Assert.Single(await Stores.Search.KeywordAsync(q, SearchText.Terms("listed"), 10, Ct));
        Assert.Empty(await Stores.Search.KeywordAsync(q, SearchText.Terms("copy"), 10, Ct));
        Assert.Single(await Stores.Search.KeywordAsync(q, SearchText.Terms("unlisted"), 10, Ct));
    }

    [Fact]
    public async Task ParentPullRequests_ARowOfAnEarlierRunOrNoRow_IsWrittenWithItsDocument()
    {
        var (job, repository) = await NewJobAsync();
        await WriteAsync(job.TenantId, runId: 7, async w =>
        {
            await w.ParentPullRequestsAsync([Pr(repository.Id, "First seen by its events")]);
            await w.LabelsAsync([new LabelRow(Pr(repository.Id, "").NodeId, "LA_1", "bug")]);
        });
        Assert.Equal(("First seen by its events", 7L), await StoredAsync(job.TenantId));

        await WriteAsync(job.TenantId, runId: 8, w => w.ParentPullRequestsAsync([Pr(repository.Id, "Renamed since")]));

        Assert.Equal(("Renamed since", 8L), await StoredAsync(job.TenantId));
        var q = new SearchQuery(job.TenantId, "");
        Assert.Single(await Stores.Search.KeywordAsync(q, SearchText.Terms("renamed"), 10, Ct));
        Assert.Empty(await Stores.Search.KeywordAsync(q, SearchText.Terms("events"), 10, Ct));
    }

    private static PullRequestRow Pr(long repositoryId, string title, string node = "PR_parent") => new(repositoryId, node, null, node.Length, title, "",
        $"https://github.com/pr/{node}", "OPEN", false, "ann", "User", null, "main", "topic", null, null, 1, 1, 1, T0, T0, null, null, 0, 0, 0, 0, "h");

    private Task WriteAsync(long tenantId, long runId, Func<RowWriter, Task> write) => Database.WriteAsync(async (c, tx) =>
    {
        await write(new RowWriter(Database.Dialect, c, tx, tenantId, runId, Ct));
        return 0;
    }, Ct);

    private Task<(string Title, long Run)> StoredAsync(long tenantId, string node = "PR_parent") => Database.ReadAsync(c =>
        c.QuerySingleAsync<(string, long)>("SELECT title, last_seen_run_id FROM prs WHERE tenant_id = @tenantId AND node_id = @node", new { tenantId, node }), Ct);

    private Task<long> CountAsync(string sql, string node) => Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql, new { node }), Ct);

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
