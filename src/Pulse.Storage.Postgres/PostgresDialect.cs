using System.Data;
using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Pulse.Core.Storage;
using Pulse.Storage;

namespace Pulse.Storage.Postgres;

/// <summary>
/// PostgreSQL's side of the SQL: row locks and SKIP LOCKED claims (many writers), arrays for lists, jsonb for JSON, json for raw
/// answers, pgvector with an HNSW cosine index for vectors, and one round trip for a statement run over many rows.
/// </summary>
public sealed partial class PostgresDialect : SqlDialect
{
    private static readonly Dictionary<string, string> Positional = new(StringComparer.Ordinal);
    private static readonly Lock PositionalLock = new();

    public override string Name => "PostgreSQL";

    public override string ForUpdate => " FOR UPDATE";

    public override string SkipLocked(string alias) => $" FOR UPDATE OF {alias} SKIP LOCKED";

    public override string ClaimIndex => "";

    public override string In(string column, string parameter) => $"{column} = ANY({parameter})";

    public override IEnumerable<T> List<T>(IEnumerable<T> values) => values.ToArray();

    public override string Json(string parameter) => $"{parameter}::jsonb";

    public override string JsonText(string column) => $"{column}::text";

    /// <summary>
    /// jsonb rejects the escape \u0000 that GitHub answers may hold. Every other byte is kept; each unescaped \u0000 becomes
    /// \uFFFD, the same normalisation TextNormalizer applies to text columns, so what the transform reads equals SQLite's copy.
    /// </summary>
    public override string JsonValue(string json) =>
        !json.Contains("\\u0000", StringComparison.Ordinal) ? json : NulEscape().Replace(json, m => m.Groups[1].Value + "\\uFFFD");

    public override object Payload(byte[] utf8) => JsonValue(Encoding.UTF8.GetString(utf8));

    /// <summary>json, not jsonb (migration 006): the answer is kept as the text GitHub sent and read back whole, never queried inside.</summary>
    public override string PayloadParameter(string parameter) => $"{parameter}::json";

    public override string PayloadColumn(string column) => $"{column}::text";

    public override byte[] PayloadBytes(object value) => Encoding.UTF8.GetBytes((string)value);

    public override object Vector(float[] vector) => new Pgvector.Vector(vector);

    /// <summary>One NpgsqlBatch: every row's statement in one round trip, run in order (each sees the ones before it), prepared once per session.</summary>
    public override async Task<IReadOnlyList<long?>> RunManyAsync(DbConnection c, DbTransaction tx, SqlBatch batch, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var sql = PositionalSql(batch);
        await using var command = new NpgsqlBatch((NpgsqlConnection)c, (NpgsqlTransaction)tx);
        foreach (var row in rows)
        {
            var statement = new NpgsqlBatchCommand(sql);
            for (var p = 0; p < batch.Parameters.Count; p++)
            {
                var value = row[p] is DateTimeOffset d ? d.ToUniversalTime() : row[p];
                statement.Parameters.Add(value is null
                    ? new NpgsqlParameter { Value = DBNull.Value, DbType = batch.Parameters[p].Type }
                    : new NpgsqlParameter { Value = value });
            }
            command.BatchCommands.Add(statement);
        }
        var results = new long?[rows.Count];
        await using var reader = await command.ExecuteReaderAsync(ct);
        var i = 0;
        do
        {
            if (await reader.ReadAsync(ct) && !reader.IsDBNull(0)) results[i] = reader.GetInt64(0);
            i++;
        }
        while (await reader.NextResultAsync(ct) && i < rows.Count);
        return results;
    }

    /// <summary>The nearest vectors come from the HNSW index (ORDER BY distance LIMIT); joins then name their PRs.</summary>
    public override async Task<IReadOnlyList<SearchHit>> SearchAsync(DbConnection c, long tenantId, string model, float[] query, string? repository, int limit,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            WITH n AS (
              SELECT e.table_name, e.row_id, e.vector <=> $1 AS distance FROM embeddings e
              WHERE e.tenant_id = $2 AND e.model = $3 ORDER BY e.vector <=> $1 LIMIT $4)
            SELECT n.table_name, n.row_id, 1 - n.distance, {SearchHits.Columns}
            FROM n
            {SearchHits.Joins}
            WHERE $5::text IS NULL OR r.full_name = $5 OR r.name = $5
            ORDER BY n.distance LIMIT $6
            """, (NpgsqlConnection)c);
        command.Parameters.Add(new NpgsqlParameter { Value = new Pgvector.Vector(query) });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        // A repository filter is applied after the index: ask it for more candidates.
        command.Parameters.Add(new NpgsqlParameter { Value = (long)(repository is null ? limit : Math.Max(limit * 20, 200)) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)repository ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)limit });
        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            hits.Add(SearchHits.Hit(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5),
                reader.GetString(6)));
        return hits;
    }

    /// <summary>The batch's SQL with its @names as $1, $2, … in parameter order (a batch command takes positional parameters only).</summary>
    private static string PositionalSql(SqlBatch batch)
    {
        lock (PositionalLock)
        {
            if (Positional.TryGetValue(batch.Key, out var sql)) return sql;
            var index = batch.Parameters.Select((p, i) => (p.Name, i)).ToDictionary(p => p.Name, p => p.i + 1, StringComparer.Ordinal);
            sql = Parameter().Replace(batch.Sql, m => index.TryGetValue(m.Groups[1].Value, out var n) ? "$" + n
                : throw new InvalidOperationException($"The batch {batch.Key} has no parameter @{m.Groups[1].Value}."));
            return Positional[batch.Key] = sql;
        }
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Parameter();

    // An even run of backslashes (escaped backslashes) and then \u0000: a real NUL, not the text "\u0000".
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex NulEscape();
}
