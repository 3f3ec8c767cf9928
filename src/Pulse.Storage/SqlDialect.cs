using System.Data;
using System.Data.Common;
using Dapper;
using Pulse.Core.Search;

namespace Pulse.Storage;

/// <summary>
/// Where the two backends' SQL really differs, and nothing else (DevLake's Dalgorm, habit 16): row locks, skip-locked claims,
/// list and JSON parameters, the raw payload's column, statements run for many rows at once, and keyword and vector search. Everything
/// else is one SQL text that both run: ON CONFLICT, RETURNING, TRUE/FALSE, IS DISTINCT FROM and NULLS FIRST mean the same on both.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>A name for messages ("SQLite", "PostgreSQL").</summary>
    public abstract string Name { get; }

    /// <summary>Appended to a SELECT whose rows this transaction must hold until it commits.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to a claim's SELECT: rows another transaction holds are passed over, not waited for.</summary>
    public abstract string SkipLocked(string alias);

    /// <summary>After <c>FROM checkpoints cp</c> in a claim: the index that finds a run's oldest pending checkpoints.</summary>
    public string ClaimIndex => Indexed("checkpoints_claim");

    /// <summary>After a table in FROM: read it through <paramref name="index"/> where the planner would not pick it by itself.</summary>
    public abstract string Indexed(string index);

    /// <summary>
    /// <paramref name="select"/> (probes whose every condition an index holds; run in a transaction) read through indexes only,
    /// whatever the tables' statistics say; the transaction's planner settings are as before after it. One command, its one result.
    /// </summary>
    public abstract string ByIndex(string select);

    /// <summary><paramref name="column"/> is one of the list parameter <paramref name="parameter"/> (made by <see cref="List{T}"/>).</summary>
    public abstract string In(string column, string parameter);

    /// <summary>The value of a list parameter for <see cref="In"/>.</summary>
    public abstract object List<T>(IEnumerable<T> values);

    /// <summary>A JSON parameter as a column value.</summary>
    public abstract string Json(string parameter);

    /// <summary>A JSON column read back as text.</summary>
    public abstract string JsonText(string column);

    /// <summary>JSON text as the database will accept it.</summary>
    public virtual string JsonValue(string json) => json;

    /// <summary>A raw GitHub answer (UTF-8 JSON bytes) as a parameter's SQL.</summary>
    public abstract string PayloadParameter(string parameter);

    /// <summary>The raw answer column read back as its UTF-8 bytes.</summary>
    public abstract string PayloadColumn(string column);

    /// <summary>A vector as a parameter value of the embeddings table.</summary>
    public abstract object Vector(float[] vector);

    /// <summary>A vector column's value read back.</summary>
    public abstract float[] VectorValue(object value);

    /// <summary>
    /// Runs one statement once per row, in the caller's transaction and in row order, as cheaply as the backend allows
    /// (SQLite: one prepared statement kept across transactions; PostgreSQL: one round trip). The first column of each
    /// row's first result (e.g. <c>RETURNING id</c>), or null.
    /// </summary>
    public abstract Task<IReadOnlyList<long?>> RunManyAsync(DbConnection c, DbTransaction tx, SqlBatch batch, IReadOnlyList<object?[]> rows, CancellationToken ct);

    /// <summary>The FROM item of a keyword search: the search documents as <c>d</c>, joined to the backend's full-text index.</summary>
    public abstract string KeywordSource { get; }

    /// <summary>The condition that a document holds the keyword query in <paramref name="parameter"/> (made by <see cref="KeywordQuery"/>).</summary>
    public abstract string KeywordMatch(string parameter);

    /// <summary>ORDER BY terms that put the best keyword match first.</summary>
    public abstract string KeywordRank(string parameter);

    /// <summary>The terms, all required, in the backend's query syntax.</summary>
    public abstract string KeywordQuery(IReadOnlyList<SearchTerm> terms);

    /// <summary>
    /// Ids of the search documents nearest to <paramref name="vector"/>, best first. <paramref name="filters"/> is the shared
    /// <c>JOIN … WHERE …</c> over <c>d</c> (search_documents) with its parameters in <paramref name="args"/>, which also holds
    /// <c>@TenantId</c> and <c>@Model</c>. Under any filter: <paramref name="limit"/> ids whenever that many documents
    /// with a vector pass the filters, however far from the query they lie.
    /// </summary>
    public abstract Task<IReadOnlyList<long>> NearestAsync(DbConnection c, string filters, DynamicParameters args, float[] vector, int limit, bool filtered,
        CancellationToken ct);
}

/// <summary>A statement run for many rows: its text (parameters <c>@name</c>) and each parameter's name and type, in row order.</summary>
public sealed record SqlBatch(string Key, string Sql, IReadOnlyList<(string Name, DbType Type)> Parameters);
