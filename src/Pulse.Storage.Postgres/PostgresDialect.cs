using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using Dapper;
using Pulse.Core.Search;
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

    // PostgreSQL's planner finds the claim indexes itself (and has no hints).
    public override string Indexed(string index) => "";

    /// <summary>
    /// The read with sequential scans priced out, and only that read: statistics of a table that grew or drained since they
    /// were taken make an EXISTS over it look answered by the first rows of a sequential scan, which then reads every row when
    /// none matches (a run's snapshot probes read 44 million checkpoint rows in one bench-org sync that way).
    /// </summary>
    public override string ByIndex(string select) => $"SET LOCAL enable_seqscan = off; {select}; SET LOCAL enable_seqscan TO DEFAULT";

    public override string In(string column, string parameter) => $"{column} = ANY({parameter})";

    public override object List<T>(IEnumerable<T> values) => values.ToArray();

    public override string Json(string parameter) => $"{parameter}::jsonb";

    public override string JsonText(string column) => $"{column}::text";

    /// <summary>
    /// jsonb rejects the escape \u0000 that GitHub answers may hold. Every other byte is kept; each unescaped \u0000 becomes
    /// \uFFFD, the same normalisation TextNormalizer applies to text columns, so what the transform reads equals SQLite's copy.
    /// </summary>
    public override string JsonValue(string json) =>
        !json.Contains("\\u0000", StringComparison.Ordinal) ? json : NulEscape().Replace(json, m => m.Groups[1].Value + "\\uFFFD");

    /// <summary>
    /// json, not jsonb (migration 006): the answer is kept as the text GitHub sent and read back whole, never queried inside.
    /// It travels as its UTF-8 bytes both ways (bytea, converted by the server), as on SQLite: sent as a string it was decoded
    /// to UTF-16 and encoded again on the way in, and again on the way out, four copies of a page of hundreds of KB (~3% of a
    /// distributed sync's client CPU, perf). json, unlike jsonb, takes a \u0000 escape as it is: the bytes read back are the
    /// bytes GitHub sent.
    /// </summary>
    public override string PayloadParameter(string parameter) => $"convert_from({parameter}, 'UTF8')::json";

    public override string PayloadColumn(string column) => $"convert_to({column}::text, 'UTF8')";

    public override object Vector(float[] vector) => new Pgvector.Vector(vector);

    public override float[] VectorValue(object value) => ((Pgvector.Vector)value).ToArray();

    /// <summary>
    /// An INSERT batch as one statement over arrays (<see cref="PostgresBulkInsert"/>); any other batch as one NpgsqlBatch: every
    /// row's statement in one round trip, run in order (each sees the ones before it).
    /// </summary>
    public override async Task<IReadOnlyList<long?>> RunManyAsync(DbConnection c, DbTransaction tx, SqlBatch batch, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        if (rows.Count > 1 && PostgresBulkInsert.For(batch) is { } bulk
            && await bulk.RunAsync((NpgsqlConnection)c, (NpgsqlTransaction)tx, rows, ct) is { } ids)
            return ids;
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

    public override string KeywordSource => "search_documents d";

    public override string KeywordMatch(string parameter) => $"d.tsv @@ to_tsquery('simple', {parameter})";

    public override string KeywordRank(string parameter) => $"ts_rank_cd(d.tsv, to_tsquery('simple', {parameter})) DESC";

    // Tokens are letters and digits only (SearchText): nothing in them is tsquery syntax.
    public override string KeywordQuery(IReadOnlyList<SearchTerm> terms) => string.Join(" & ", terms.Select(t => t.Token + (t.Prefix ? ":*" : "")));

    /// <summary>A filter that passes at most this many documents is answered by an exact scan of their vectors.</summary>
    public const int ExactScanDocuments = 20_000;

    /// <summary>How far an iterative index scan may walk past ef_search before it gives up (pgvector's default: 20,000).</summary>
    public const int MaxScanTuples = 100_000;

    /// <summary>
    /// The nearest vectors under the filters, and as many as asked whenever that many pass them. A filter that passes few
    /// documents (one small repository, one author) is answered by an exact scan of just their vectors: the index would have to
    /// walk past every nearer row of the rest first. Otherwise the HNSW index is walked with the filters in the same query, and
    /// pgvector's iterative scan (0.8+) keeps walking past ef_search until the limit is filled; a walk that ends short (at
    /// <see cref="MaxScanTuples"/>: the filter's rows are rare among the nearest) is answered by the exact scan too.
    /// </summary>
    public override async Task<IReadOnlyList<long>> NearestAsync(DbConnection c, string filters, DynamicParameters args, float[] vector, int limit, bool filtered,
        CancellationToken ct)
    {
        args.Add("Vector", "[" + string.Join(',', vector.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]");
        args.Add("Limit", (long)limit);
        var few = filtered && await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM search_documents d {filters} LIMIT {ExactScanDocuments + 1}) f", args) <= ExactScanDocuments;
        await using var tx = await c.BeginTransactionAsync(ct);
        IReadOnlyList<long> ids = [];
        if (!few)
        {
            await c.ExecuteAsync($"SET LOCAL hnsw.ef_search = {Math.Clamp(limit, 40, 1000)}; SET LOCAL hnsw.iterative_scan = relaxed_order; "
                + $"SET LOCAL hnsw.max_scan_tuples = {MaxScanTuples}", transaction: tx);
            ids = await NearestQueryAsync(c, tx, filters, args, walkIndex: true);
        }
        if (ids.Count < limit) ids = await NearestQueryAsync(c, tx, filters, args, walkIndex: false);
        await tx.CommitAsync(ct);
        return ids;
    }

    // Without ORDER BY … LIMIT inside, MATERIALIZED keeps the scan exact (off the index); the outer sort puts relaxed_order's
    // few out-of-order rows back in place.
    private static async Task<IReadOnlyList<long>> NearestQueryAsync(DbConnection c, DbTransaction tx, string filters, DynamicParameters args, bool walkIndex) =>
        (await c.QueryAsync<long>($"""
            WITH n AS MATERIALIZED (
              SELECT d.id, e.vector <=> @Vector::vector AS distance
              FROM embeddings e JOIN search_documents d ON d.table_name = e.table_name AND d.row_id = e.row_id
              {filters} AND e.tenant_id = @TenantId AND e.model = @Model
              {(walkIndex ? "ORDER BY e.vector <=> @Vector::vector LIMIT @Limit" : "")})
            SELECT id FROM n ORDER BY distance, id LIMIT @Limit
            """, args, tx)).ToList();

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
