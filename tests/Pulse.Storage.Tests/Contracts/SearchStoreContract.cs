using Dapper;
using Pulse.Core.Embed;
using Pulse.Core.Search;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

public abstract class SearchStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// org/api #1 (MERGED, alice) with a commit (frank), a review (bob) and a comment (carol); org/web #2 (OPEN, dave) with a
    /// comment (erin), a month later. Every row has a vector at a distinct cosine to <see cref="SearchRows.Query"/>.
    /// </summary>
    private sealed record Corpus(long TenantId, long Pr1, long Commit, long Review, long Comment1, long Pr2, long Comment2)
    {
        public long[] All => [Pr1, Commit, Review, Comment1, Pr2, Comment2];
    }

    [Fact]
    public async Task Keyword_IdentifiersWordsAndShaPrefix_FindTheRowsHoldingEveryTerm()
    {
        var d = await CorpusAsync();
        var q = new SearchQuery(d.TenantId, "");

        Assert.Equal([d.Commit], await KeywordAsync(q, "ERR_CONN_RESET_42"));
        Assert.Equal([d.Commit], await KeywordAsync(q, "err conn reset"));   // the identifier's parts are words too
        Assert.Equal([d.Comment1], await KeywordAsync(q, "PROJ-1234"));
        Assert.Equal([d.Commit], await KeywordAsync(q, "c0ffee12"));   // a prefix of the sha
        Assert.Equal([d.Pr1, d.Commit], (await KeywordAsync(q, "uploader")).Order());
        Assert.Equal([d.Pr1], await KeywordAsync(q, "uploader socket"));   // every term is required
        Assert.Empty(await KeywordAsync(q, "kubernetes"));
    }

    [Fact]
    public async Task Nearest_VectorsOfTheModel_NearestFirst()
    {
        var d = await CorpusAsync();
        var rows = new SearchRows(Database, d.TenantId, Ct);
        await rows.VectorsAsync([("prs", await RowOf(d.Pr2), SearchRows.Query)], model: "another-model");

        var nearest = await Stores.Search.NearestAsync(new SearchQuery(d.TenantId, ""), SearchRows.Model, SearchRows.Query, 10, Ct);

        Assert.Equal([d.Review, d.Commit, d.Comment1, d.Pr2, d.Comment2, d.Pr1], nearest);
        Assert.Equal([d.Review, d.Commit], await Stores.Search.NearestAsync(new SearchQuery(d.TenantId, ""), SearchRows.Model, SearchRows.Query, 2, Ct));
    }

    [Fact]
    public async Task Hybrid_RowsInBothRankings_RankAboveRowsInOne()
    {
        var d = await CorpusAsync();
        var search = new HybridSearch(Stores.Search, new EmbeddingModel(new FixedGenerator(new Dictionary<string, float[]> { ["uploader"] = SearchRows.Query }), SearchRows.Model));
        var query = new SearchQuery(d.TenantId, "uploader");

        var hybrid = await search.SearchAsync(query, SearchMode.Hybrid, Ct);

        // Keyword: #1 and the commit. Vector: review, commit, comment 1, #2, comment 2, #1. Fused, the commit (keyword and
        // vector rank 2) leads, #1 (keyword and vector rank 6) follows, and the review (vector rank 1 only) comes third.
        Assert.Equal([("commit", 1), ("pr", 1), ("review", 1)], hybrid.Take(3).Select(h => (h.Kind, h.PullRequestNumber)));
        Assert.Equal(6, hybrid.Count);
        Assert.True(hybrid.Zip(hybrid.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(["commit", "pr"], (await search.SearchAsync(query, SearchMode.Keyword, Ct)).Select(h => h.Kind).Order());
        Assert.Equal("review", (await search.SearchAsync(query, SearchMode.Vector, Ct))[0].Kind);
    }

    [Fact]
    public async Task Filters_EachOne_NarrowsBothRankings()
    {
        var d = await CorpusAsync();
        var q = new SearchQuery(d.TenantId, "");

        Assert.Equal([d.Pr2, d.Comment2], await NearestAsync(q with { Repository = "org/web" }));
        Assert.Equal([d.Pr2, d.Comment2], await NearestAsync(q with { Repository = "web" }));
        Assert.Equal([d.Comment1], await NearestAsync(q with { Author = "carol" }));
        Assert.Equal([d.Pr2, d.Comment2], await NearestAsync(q with { State = "OPEN" }));
        Assert.Equal([d.Commit], await NearestAsync(q with { Kind = "commit" }));
        Assert.Equal([d.Review, d.Commit], await NearestAsync(q with { Since = T0.AddHours(1), Until = T0.AddHours(3) }));   // until is exclusive; nearest first

        Assert.Empty(await KeywordAsync(q with { Repository = "org/web" }, "uploader"));
        Assert.Equal([d.Pr1, d.Commit], (await KeywordAsync(q with { Repository = "org/api" }, "uploader")).Order());
        Assert.Equal([d.Commit], await KeywordAsync(q with { Author = "frank" }, "uploader"));
        Assert.Empty(await KeywordAsync(q with { State = "OPEN" }, "uploader"));
        Assert.Equal([d.Pr1], await KeywordAsync(q with { Kind = "pr" }, "uploader"));
        Assert.Equal([d.Commit], await KeywordAsync(q with { Since = T0.AddMinutes(1) }, "uploader"));
        Assert.Equal([d.Pr1], await KeywordAsync(q with { Until = T0.AddMinutes(1) }, "uploader"));
    }

    [Fact]
    public async Task Search_AnotherTenantsRows_NeverFound()
    {
        var d = await CorpusAsync();
        var other = await CorpusAsync("globex");
        var q = new SearchQuery(d.TenantId, "");

        Assert.Equal([d.Commit], await KeywordAsync(q, "ERR_CONN_RESET_42"));
        Assert.Equal([other.Commit], await KeywordAsync(q with { TenantId = other.TenantId }, "ERR_CONN_RESET_42"));
        Assert.Equal(d.All.Order(), (await NearestAsync(q)).Order());
        Assert.Equal(other.All.Order(), (await NearestAsync(q with { TenantId = other.TenantId })).Order());
        Assert.Empty(await Stores.Search.DocumentsAsync(d.TenantId, other.All, Ct));
    }

    [Fact]
    public async Task Documents_EveryKind_CarriesItsPullRequest()
    {
        var d = await CorpusAsync();

        var documents = (await Stores.Search.DocumentsAsync(d.TenantId, d.All, Ct)).ToDictionary(x => x.Id);

        Assert.Equal(6, documents.Count);
        foreach (var id in new[] { d.Pr1, d.Commit, d.Review, d.Comment1 })
            Assert.Equal(("org/api", 1L, "https://github.com/pr/1", "Retry uploads after a reset", "MERGED"),
                (documents[id].Repository, documents[id].PullRequestNumber, documents[id].PullRequestUrl, documents[id].Title, documents[id].State));
        foreach (var id in new[] { d.Pr2, d.Comment2 })
            Assert.Equal(("org/web", 2L, "https://github.com/pr/2", "OPEN"), (documents[id].Repository, documents[id].PullRequestNumber, documents[id].PullRequestUrl, documents[id].State));
        Assert.Equal(["prs", "prs_commits", "prs_reviews", "prs_comments", "prs", "prs_comments"], d.All.Select(id => documents[id].Table));
        Assert.Equal("Handle ERR_CONN_RESET_42 in the uploader", documents[d.Commit].Text);
        Assert.Equal(("bob", T0.AddHours(2)), (documents[d.Review].Author, documents[d.Review].At!.Value));
    }

    /// <summary>
    /// A document rewritten in its own transaction, then rewritten twice and deleted in one transaction whose new document may
    /// take the freed id: the keyword index finds each document by its current text only. (SQLite indexes a transaction's
    /// documents when it commits; a wrong delete there would leave old words pointing at the new document.)
    /// </summary>
    [Fact]
    public async Task Keyword_DocumentsRewrittenAndReplacedInOneTransaction_FindOnlyTheirCurrentText()
    {
        var (job, api) = await NewJobAsync();
        var rows = new SearchRows(Database, job.TenantId, Ct);
        await rows.PullRequestAsync(api.Id, 1, "OPEN", "alice", T0, "Keyword upkeep", "");
        const string oid = "abcdef1234567890abcdef1234567890abcdef12";
        var doc = await rows.DocumentAsync("prs_commits", await rows.CommitAsync(1, oid, "alpha draft", "frank", T0));
        var q = new SearchQuery(job.TenantId, "");
        Assert.Equal([doc], await KeywordAsync(q, "alpha"));

        await rows.CommitAsync(1, oid, "bravo draft", "frank", T0);

        Assert.Empty(await KeywordAsync(q, "alpha"));
        Assert.Equal([doc], await KeywordAsync(q, "bravo draft"));

        var comment = await Database.WriteAsync(async (c, tx) =>
        {
            var writer = new RowWriter(Database.Dialect, c, tx, job.TenantId, 0, Ct);
            await writer.CommitsAsync([CommitOf(oid, "charlie draft")]);
            await writer.CommitsAsync([CommitOf(oid, "delta draft")]);
            await c.ExecuteAsync("DELETE FROM search_documents WHERE id = @doc", new { doc }, tx);
            return (await writer.CommentsAsync([new CommentRow(SearchRows.NodeOf(job.TenantId, 1), "IC_echo", null, CommentTypes.Issue, null, null, "erin", "User",
                "echo", T0, T0, null, null, null, null, null, "h")]))[0];
        }, Ct);
        var echo = await rows.DocumentAsync("prs_comments", comment);

        foreach (var gone in new[] { "alpha", "bravo", "charlie", "delta", "draft" }) Assert.Empty(await KeywordAsync(q, gone));
        Assert.Equal([echo], await KeywordAsync(q, "echo"));

        CommitRow CommitOf(string sha, string message) =>
            new(SearchRows.NodeOf(job.TenantId, 1), sha, message, "frank", null, "frank", null, null, null, T0, T0, 1, 1, "h");
    }

    /// <summary>
    /// 1,100 comments of org/api lie nearer the query than any of the 15 of org/web (by zoe): a search filtered to org/web (or
    /// to zoe) must still find its nearest 10, which an index asked for the nearest 1,000 and filtered afterwards does not.
    /// </summary>
    [Fact]
    public async Task Nearest_NarrowFilterOutsideTheThousandNearest_StillFillsTheLimit()
    {
        var (job, api) = await NewJobAsync();
        var web = await WebRepositoryAsync(job);
        var rows = new SearchRows(Database, job.TenantId, Ct);
        await rows.PullRequestAsync(api.Id, 1, "MERGED", "alice", T0, "Busy", "");
        await rows.PullRequestAsync(web, 2, "OPEN", "dave", T0, "Quiet", "");
        var near = await rows.CommentsAsync(1, Enumerable.Range(0, 1100).Select(i => ($"IC_a{i}", $"note {i}", "ann", T0)).ToList());
        var far = await rows.CommentsAsync(2, Enumerable.Range(0, 15).Select(i => ($"IC_w{i}", $"remark {i}", "zoe", T0)).ToList());
        await rows.VectorsAsync(near.Select((id, i) => ("prs_comments", id, SearchRows.AtCosine(0.5 + i * 0.0004, 2 + i % 300))));
        await rows.VectorsAsync(far.Select((id, i) => ("prs_comments", id, SearchRows.AtCosine(0.3 - i * 0.01, 2 + i))));
        var expected = new List<long>();
        foreach (var id in far.Take(10)) expected.Add(await rows.DocumentAsync("prs_comments", id));
        var q = new SearchQuery(job.TenantId, "");

        Assert.Equal(expected, await Stores.Search.NearestAsync(q with { Repository = "org/web" }, SearchRows.Model, SearchRows.Query, 10, Ct));
        Assert.Equal(expected, await Stores.Search.NearestAsync(q with { Author = "zoe" }, SearchRows.Model, SearchRows.Query, 10, Ct));
        Assert.Equal(15, (await Stores.Search.NearestAsync(q with { Repository = "web", Kind = "comment" }, SearchRows.Model, SearchRows.Query, 50, Ct)).Count);
    }

    private async Task<Corpus> CorpusAsync(string tenant = "acme")
    {
        var (job, api) = await NewJobAsync(tenant);
        var web = await WebRepositoryAsync(job);
        var rows = new SearchRows(Database, job.TenantId, Ct);
        var pr1 = await rows.PullRequestAsync(api.Id, 1, "MERGED", "alice", T0, "Retry uploads after a reset", "The uploader gives up after one socket error.");
        var commit = await rows.CommitAsync(1, "c0ffee1234567890abcdef1234567890abcdef12", "Handle ERR_CONN_RESET_42 in the uploader", "frank", T0.AddHours(1));
        var review = await rows.ReviewAsync(1, $"PRR_{tenant}", "The retry budget looks right", "bob", T0.AddHours(2));
        var comment1 = (await rows.CommentsAsync(1, [($"IC_{tenant}_1", "Seen PROJ-1234 again in staging", "carol", T0.AddHours(3))]))[0];
        var pr2 = await rows.PullRequestAsync(web, 2, "OPEN", "dave", T0.AddDays(30), "Dark mode for the settings page", "Adds a theme switch.");
        var comment2 = (await rows.CommentsAsync(2, [($"IC_{tenant}_2", "The contrast of the disabled buttons is too low", "erin", T0.AddDays(31))]))[0];
        var vectors = new (string Table, long Row, double Cosine)[]
        {
            ("prs", pr1, 0.1), ("prs_commits", commit, 0.8), ("prs_reviews", review, 0.9), ("prs_comments", comment1, 0.6), ("prs", pr2, 0.4), ("prs_comments", comment2, 0.3),
        };
        await rows.VectorsAsync(vectors.Select((v, i) => (v.Table, v.Row, SearchRows.AtCosine(v.Cosine, 2 + i))));
        var ids = new List<long>();
        foreach (var v in vectors) ids.Add(await rows.DocumentAsync(v.Table, v.Row));
        return new Corpus(job.TenantId, ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]);
    }

    private async Task<long> WebRepositoryAsync(JobRecord job)
    {
        await Stores.Repositories.UpsertAsync(job.TenantId, job.IntegrationId,
            [new RepositoryRow("R_2", 2, "org", "web", null, false, false, false, "main", "TypeScript", null, null, null)], Ct);
        return (await Stores.Repositories.ListActiveAsync(job.TenantId, job.IntegrationId, Ct)).Single(r => r.Name == "web").Id;
    }

    private Task<IReadOnlyList<long>> KeywordAsync(SearchQuery q, string text) => Stores.Search.KeywordAsync(q, SearchText.Terms(text), 50, Ct);

    private Task<IReadOnlyList<long>> NearestAsync(SearchQuery q) => Stores.Search.NearestAsync(q, SearchRows.Model, SearchRows.Query, 50, Ct);

    private Task<long> RowOf(long document) => Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT row_id FROM search_documents WHERE id = @document", new { document }), Ct);
}

public sealed class SqliteSearchStoreContract : SearchStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresSearchStoreContract : SearchStoreContract
{
    protected override bool Postgres => true;
}
