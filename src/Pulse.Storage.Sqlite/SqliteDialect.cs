using System.Data.Common;
using System.Runtime.InteropServices;
using Dapper;
using Pulse.Core.Storage;
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

    // Without the hint the planner reads checkpoints_pending, whose kind column sits between status and the rowid: every claim
    // then read and sorted all pending rows of the run.
    public override string ClaimIndex => "INDEXED BY checkpoints_claim";

    public override string In(string column, string parameter) => $"{column} IN {parameter}";

    public override IEnumerable<T> List<T>(IEnumerable<T> values) => values.ToList();

    public override string Json(string parameter) => parameter;

    public override string JsonText(string column) => column;

    // The answer is stored as the UTF-8 text it arrived as, and read back as those bytes (CAST AS BLOB): no UTF-16 copy.
    public override object Payload(byte[] utf8) => utf8;

    public override string PayloadParameter(string parameter) => $"CAST({parameter} AS TEXT)";

    public override string PayloadColumn(string column) => $"CAST({column} AS BLOB)";

    public override byte[] PayloadBytes(object value) => (byte[])value;

    public override object Vector(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

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

    /// <summary>SQLite has no vector index: the tenant's vectors are scanned and scored here.</summary>
    public override async Task<IReadOnlyList<SearchHit>> SearchAsync(DbConnection c, long tenantId, string model, float[] query, string? repository, int limit,
        CancellationToken ct)
    {
        var rows = await c.QueryAsync<(string Table, long RowId, byte[] Vector, string Repo, long Number, string Title, string Text)>($"""
            SELECT n.table_name, n.row_id, n.vector, {SearchHits.Columns}
            FROM embeddings n
            {SearchHits.Joins}
            WHERE n.tenant_id = @tenantId AND n.model = @model AND (@repository IS NULL OR r.full_name = @repository OR r.name = @repository)
            """, new { tenantId, model, repository });
        return rows.Select(r => (r, score: Dot(query, MemoryMarshal.Cast<byte, float>(r.Vector)))).OrderByDescending(x => x.score).Take(limit)
            .Select(x => SearchHits.Hit(x.r.Table, x.r.RowId, x.score, x.r.Repo, x.r.Number, x.r.Title, x.r.Text)).ToList();
    }

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++) sum += a[i] * b[i];
        return sum;
    }
}
