using Dapper;
using Pulse.Core.Search;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>Both rankings over <c>search_documents</c> (written by <see cref="RowWriter"/>), under one set of filters written once.</summary>
public sealed class RelationalSearchStore(RelationalDatabase db) : ISearchStore
{
    // d is the search document; its PR and repository give the repository and state filters.
    private const string Filters = """
        JOIN prs p ON p.id = d.pr_id
        JOIN repositories r ON r.id = p.repository_id
        WHERE d.tenant_id = @TenantId
          AND (@Repository IS NULL OR r.full_name = @Repository OR r.name = @Repository)
          AND (@Author IS NULL OR d.author_login = @Author)
          AND (@State IS NULL OR p.state = @State)
          AND (@Table IS NULL OR d.table_name = @Table)
          AND (@Since IS NULL OR d.created_at >= @Since)
          AND (@Until IS NULL OR d.created_at < @Until)
        """;

    public Task<IReadOnlyList<long>> KeywordAsync(SearchQuery query, IReadOnlyList<SearchTerm> terms, int limit, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var args = Arguments(query);
        args.Add("Match", db.Dialect.KeywordQuery(terms));
        args.Add("Limit", (long)limit);
        IReadOnlyList<long> ids = (await c.QueryAsync<long>($"""
            SELECT d.id FROM {db.Dialect.KeywordSource}
            {Filters} AND {db.Dialect.KeywordMatch("@Match")}
            ORDER BY {db.Dialect.KeywordRank("@Match")}, d.id LIMIT @Limit
            """, args)).ToList();
        return ids;
    }, ct);

    public Task<IReadOnlyList<long>> NearestAsync(SearchQuery query, string model, float[] vector, int limit, CancellationToken ct) => db.ReadAsync(c =>
    {
        var args = Arguments(query);
        args.Add("Model", model);
        var filtered = query.Repository is not null || query.Author is not null || query.State is not null || query.Kind is not null || query.Since is not null
            || query.Until is not null;
        return db.Dialect.NearestAsync(c, Filters, args, vector, limit, filtered, ct);
    }, ct);

    public Task<IReadOnlyList<SearchDocument>> DocumentsAsync(long tenantId, IReadOnlyList<long> ids, CancellationToken ct) => db.ReadAsync(async c =>
    {
        if (ids.Count == 0) return (IReadOnlyList<SearchDocument>)[];
        var rows = await c.QueryAsync<DocumentRow>($"""
            SELECT d.id AS Id, d.table_name AS TableName, d.row_id AS RowId, r.full_name AS Repository, p.number AS Number, p.url AS Url, p.title AS Title,
              p.state AS State, d.author_login AS Author, d.created_at AS At,
              COALESCE(CASE d.table_name WHEN 'prs' THEN p.body WHEN 'prs_commits' THEN cm.message WHEN 'prs_reviews' THEN rv.body ELSE co.body END, '') AS Text
            FROM search_documents d
            JOIN prs p ON p.id = d.pr_id
            JOIN repositories r ON r.id = p.repository_id
            LEFT JOIN prs_commits cm ON d.table_name = 'prs_commits' AND cm.id = d.row_id
            LEFT JOIN prs_reviews rv ON d.table_name = 'prs_reviews' AND rv.id = d.row_id
            LEFT JOIN prs_comments co ON d.table_name = 'prs_comments' AND co.id = d.row_id
            WHERE d.tenant_id = @tenantId AND {db.Dialect.In("d.id", "@ids")}
            """, new { tenantId, ids = db.Dialect.List(ids) });
        return rows.Select(r => new SearchDocument(r.Id, r.TableName, r.RowId, r.Repository, r.Number, r.Url, r.Title, r.State, r.Author,
            DbValues.TimeOrNull(r.At), r.Text)).ToList();
    }, ct);

    private static DynamicParameters Arguments(SearchQuery query)
    {
        var args = new DynamicParameters();
        args.Add("TenantId", query.TenantId);
        args.Add("Repository", query.Repository, System.Data.DbType.String);
        args.Add("Author", query.Author, System.Data.DbType.String);
        args.Add("State", query.State, System.Data.DbType.String);
        args.Add("Table", query.Kind is null ? null : SearchKind.Table(query.Kind), System.Data.DbType.String);
        AddTime(args, "Since", query.Since);
        AddTime(args, "Until", query.Until);
        return args;
    }

    // A time goes through the backend's Dapper handler (SQLite: ISO text, whose order is time order), which a declared type
    // would bypass; a missing one still needs its type, or PostgreSQL cannot tell what @Since IS NULL compares.
    private static void AddTime(DynamicParameters args, string name, DateTimeOffset? value)
    {
        if (value is { } v) args.Add(name, v);
        else args.Add(name, null, System.Data.DbType.DateTimeOffset);
    }

    private sealed class DocumentRow
    {
        public long Id { get; set; }
        public string TableName { get; set; } = "";
        public long RowId { get; set; }
        public string Repository { get; set; } = "";
        public long Number { get; set; }
        public string? Url { get; set; }
        public string Title { get; set; } = "";
        public string State { get; set; } = "";
        public string? Author { get; set; }
        public object? At { get; set; }
        public string Text { get; set; } = "";
    }
}
