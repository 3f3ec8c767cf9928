using System.Data.Common;
using System.Runtime.InteropServices;
using Dapper;
using Pulse.Core.Search;
using Pulse.Storage;

namespace Pulse.Storage.Sqlite;

/// <summary>
/// SQLite's side of the SQL: one writer at a time, so no row locks; lists expand into IN (...); JSON and raw answers are text;
/// vectors are float32 blobs searched by a scan (fine at embedded scale).
/// </summary>
public sealed class SqliteDialect(SqliteDatabase db) : SqlDialect
{
    public override string Name => "SQLite";

    // One writer at a time: a write transaction holds the whole file already.
    public override string ForUpdate => "";

    public override string SkipLocked(string alias) => "";

    // Without the hint the planner picks an index by its shape: for a claim it read checkpoints_pending, whose kind column sits
    // between status and the rowid, and so read and sorted all pending rows of the run.
    public override string Indexed(string index) => $"INDEXED BY {index}";

    public override string ByIndex(string select) => select;

    // The list is one JSON text, not a parameter per value: Dapper's expansion into IN (@p1, …, @pN) made a new statement to
    // parse for every length, and binding N parameters by name costs N² name comparisons (a claim's lease of 200 ids: 1.5 ms, now 0.4).
    public override string In(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object List<T>(IEnumerable<T> values) => System.Text.Json.JsonSerializer.Serialize(values);

    public override string Json(string parameter) => parameter;

    public override string JsonText(string column) => column;

    // The answer is stored as the UTF-8 text it arrived as, and read back as those bytes (CAST AS BLOB): no UTF-16 copy.
    public override string PayloadParameter(string parameter) => $"CAST({parameter} AS TEXT)";

    public override string PayloadColumn(string column) => $"CAST({column} AS BLOB)";

    public override object Vector(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public override float[] VectorValue(object value) => MemoryMarshal.Cast<byte, float>((byte[])value).ToArray();

    /// <summary>On the writer connection's prepared statement for the batch, kept across transactions (issue #7).</summary>
    public override async Task<IReadOnlyList<long?>> RunManyAsync(DbConnection c, DbTransaction tx, SqlBatch batch, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var names = batch.Parameters.Select(p => p.Name).ToArray();
        var statement = db.WriterStatement(c, batch.Key, batch.Sql, names);
        var results = new long?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            for (var p = 0; p < names.Length; p++) statement.SetValue(names[p], rows[i][p]);
            results[i] = await statement.ScalarAsync(ct);
        }
        return results;
    }

    public override string KeywordSource => "search_fts JOIN search_documents d ON d.id = search_fts.rowid";

    public override string KeywordMatch(string parameter) => $"search_fts MATCH {parameter}";

    // FTS5's rank is BM25 negated: the best match is the lowest.
    public override string KeywordRank(string parameter) => "search_fts.rank";

    // Tokens are letters and digits only (SearchText), so quoting them is all the escaping FTS5 needs; "tok"* is a prefix.
    public override string KeywordQuery(IReadOnlyList<SearchTerm> terms) =>
        string.Join(" AND ", terms.Select(t => $"\"{t.Token}\"" + (t.Prefix ? "*" : "")));

    /// <summary>SQLite has no vector index: the tenant's vectors that pass the filters are streamed and the best kept.</summary>
    public override async Task<IReadOnlyList<long>> NearestAsync(DbConnection c, string filters, DynamicParameters args, float[] vector, int limit, bool filtered,
        CancellationToken ct)
    {
        var best = new PriorityQueue<long, double>();
        await foreach (var row in c.QueryUnbufferedAsync<(long Id, byte[] Vector)>($"""
            SELECT d.id, n.vector FROM embeddings n
            JOIN search_documents d ON d.table_name = n.table_name AND d.row_id = n.row_id
            {filters} AND n.tenant_id = @TenantId AND n.model = @Model
            """, args).WithCancellation(ct))
        {
            var score = Dot(vector, MemoryMarshal.Cast<byte, float>(row.Vector));
            if (best.Count < limit) best.Enqueue(row.Id, score);
            else if (best.TryPeek(out _, out var worst) && score > worst) best.EnqueueDequeue(row.Id, score);
        }
        var ranked = new List<(long Id, double Score)>();
        while (best.TryDequeue(out var id, out var score)) ranked.Add((id, score));
        return ranked.OrderByDescending(r => r.Score).ThenBy(r => r.Id).Select(r => r.Id).ToList();
    }

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++) sum += a[i] * b[i];
        return sum;
    }
}
