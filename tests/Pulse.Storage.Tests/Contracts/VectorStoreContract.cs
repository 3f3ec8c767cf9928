namespace Pulse.Storage.Tests.Contracts;

public abstract class VectorStoreContract : StoreContract
{
    [Fact]
    public async Task KnownAsync_HashesHeldByManyRows_OneVectorPerHashOfThisTenantAndModel()
    {
        var acme = await Stores.Tenants.EnsureTenantAsync("acme", Ct);
        var other = await Stores.Tenants.EnsureTenantAsync("other", Ct);
        var rows = new SearchRows(Database, acme.Id, Ct);
        float[] common = SearchRows.AtCosine(0.5, 2), rare = SearchRows.AtCosine(0.25, 3);
        // A text repeated across rows of several tables, as an identical commit message or template is.
        await rows.VectorsAsync(Enumerable.Range(1, 40).Select(i => (i % 2 == 0 ? "prs" : "prs_commits", (long)i, common)), hash: "common");
        await rows.VectorsAsync([("prs_comments", 7, rare)], hash: "rare");
        await rows.VectorsAsync([("prs", 100, rare)], model: "another-model", hash: "another-model-only");
        await new SearchRows(Database, other.Id, Ct).VectorsAsync([("prs", 1, rare)], hash: "other-tenant-only");

        var known = await Stores.Vectors.KnownAsync(acme.Id, SearchRows.Model,
            ["common", "rare", "common", "missing", "another-model-only", "other-tenant-only"], Ct);

        Assert.Equal(["common", "rare"], known.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(common, known["common"]);
        Assert.Equal(rare, known["rare"]);
    }

    [Fact]
    public async Task KnownAsync_MoreHashesThanOneQueryChunk_FindsEvery()
    {
        var acme = await Stores.Tenants.EnsureTenantAsync("acme", Ct);
        var rows = new SearchRows(Database, acme.Id, Ct);
        var hashes = Enumerable.Range(0, 1_200).Select(i => $"hash-{i}").ToList();
        await rows.VectorsAsync(hashes.SelectMany((h, i) => new[] { ("prs", (long)i, h, VectorOf(i)), ("prs_comments", (long)i, h, VectorOf(i)) }), SearchRows.Model);

        var known = await Stores.Vectors.KnownAsync(acme.Id, SearchRows.Model, hashes, Ct);

        Assert.Equal(hashes.Count, known.Count);
        Assert.All(hashes.Select((h, i) => (h, i)), x => Assert.Equal(VectorOf(x.i), known[x.h]));
    }

    private static float[] VectorOf(int i) => SearchRows.AtCosine(i / 2_000.0, 1 + i % 300);
}

public sealed class SqliteVectorStoreContract : VectorStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresVectorStoreContract : VectorStoreContract
{
    protected override bool Postgres => true;
}
