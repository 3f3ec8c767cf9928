using System.Data;
using Dapper;
using Microsoft.Extensions.AI;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

/// <summary>
/// Searchable rows for the search contract, written through <see cref="RowWriter"/> (the transform's write path, which
/// also writes each row's search document), and vectors of a test model beside them.
/// </summary>
internal sealed class SearchRows(RelationalDatabase db, long tenantId, CancellationToken ct)
{
    public const string Model = "contract-model";
    public const int Dimensions = 384;

    private static readonly SqlBatch InsertVector = new("contract.embedding", """
        INSERT INTO embeddings (tenant_id, table_name, row_id, model, content_hash, dimensions, vector, created_at)
        VALUES (@tenantId, @table, @rowId, @model, @hash, @dimensions, @vector, @now)
        """, [("tenantId", DbType.Int64), ("table", DbType.String), ("rowId", DbType.Int64), ("model", DbType.String), ("hash", DbType.String), ("dimensions", DbType.Int64),
            ("vector", DbType.Object), ("now", DbType.DateTimeOffset)]);

    public Task<long> PullRequestAsync(long repositoryId, int number, string state, string author, DateTimeOffset at, string title, string body) =>
        WriteAsync(async w => (await w.PullRequestsAsync([new PullRequestRow(repositoryId, Node(number), null, number, title, body, $"https://github.com/pr/{number}",
            state, false, author, "User", null, "main", $"topic-{number}", null, null, 1, 1, 1, at, at, null, null, 0, 0, 0, 0, "h")]))[0]);

    public Task<long> CommitAsync(int pr, string oid, string message, string author, DateTimeOffset at) =>
        WriteAsync(async w => (await w.CommitsAsync([new CommitRow(Node(pr), oid, message, author, null, author, null, null, null, at, at, 1, 1, "h")]))[0]);

    public Task<long> ReviewAsync(int pr, string node, string body, string author, DateTimeOffset at) =>
        WriteAsync(async w => (await w.ReviewsAsync([new ReviewRow(Node(pr), node, null, author, "User", "COMMENTED", body, at, at, at, null, "h")]))[0]);

    public Task<IReadOnlyList<long>> CommentsAsync(int pr, IReadOnlyList<(string Node, string Body, string Author, DateTimeOffset At)> comments) =>
        WriteAsync(w => w.CommentsAsync(comments.Select(x => new CommentRow(Node(pr), x.Node, null, CommentTypes.Issue, null, null, x.Author, "User", x.Body, x.At,
            x.At, null, null, null, null, null, "h")).ToList()));

    /// <summary>Vectors of <see cref="Model"/> (or <paramref name="model"/>) for rows, by table and row id, all with content hash <paramref name="hash"/>.</summary>
    public Task VectorsAsync(IEnumerable<(string Table, long RowId, float[] Vector)> vectors, string model = Model, string hash = "h") =>
        VectorsAsync(vectors.Select(v => (v.Table, v.RowId, hash, v.Vector)), model);

    /// <summary>Vectors of <paramref name="model"/> for rows, each with its own content hash.</summary>
    public Task VectorsAsync(IEnumerable<(string Table, long RowId, string Hash, float[] Vector)> vectors, string model) => db.WriteAsync(async (c, tx) =>
    {
        var rows = vectors.Select(v => new object?[] { tenantId, v.Table, v.RowId, model, v.Hash, (long)Dimensions, db.Dialect.Vector(v.Vector), db.Now }).ToList();
        await db.Dialect.RunManyAsync(c, tx, InsertVector, rows, ct);
        return 0;
    }, ct);

    /// <summary>The search document of a row: what the store's rankings return.</summary>
    public Task<long> DocumentAsync(string table, long rowId) => db.ReadAsync(c =>
        c.ExecuteScalarAsync<long>("SELECT id FROM search_documents WHERE table_name = @table AND row_id = @rowId", new { table, rowId }), ct);

    /// <summary>A unit vector whose cosine with <see cref="Query"/> is <paramref name="cosine"/> (the rest of it on its own axis).</summary>
    public static float[] AtCosine(double cosine, int axis)
    {
        var v = new float[Dimensions];
        v[0] = (float)cosine;
        v[axis] = (float)Math.Sqrt(1 - cosine * cosine);
        return v;
    }

    /// <summary>The query vector: the first axis.</summary>
    public static float[] Query => AtCosine(1, 1);

    private string Node(int number) => NodeOf(tenantId, number);

    /// <summary>The node id of PR <paramref name="number"/> as these rows write it.</summary>
    public static string NodeOf(long tenantId, int number) => $"PR_{tenantId}_{number}";

    private Task<T> WriteAsync<T>(Func<RowWriter, Task<T>> write) =>
        db.WriteAsync((c, tx) => write(new RowWriter(db.Dialect, c, tx, tenantId, 0, ct)), ct);
}

/// <summary>The model's stand-in: each query text has a fixed vector.</summary>
internal sealed class FixedGenerator(IReadOnlyDictionary<string, float[]> vectors) : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(vectors[v]))));

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
