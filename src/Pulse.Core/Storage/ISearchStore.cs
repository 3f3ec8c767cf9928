using Pulse.Core.Search;

namespace Pulse.Core.Storage;

/// <summary>A searchable row's details, by its search document id.</summary>
public sealed record SearchDocument(long Id, string Table, long RowId, string Repository, long PullRequestNumber, string? PullRequestUrl, string Title,
    string State, string? Author, DateTimeOffset? At, string Text);

/// <summary>Search: two rankings of a tenant's search documents under the query's filters, and the details of the ones shown.</summary>
public interface ISearchStore
{
    /// <summary>Documents holding every term, best keyword match first (SQLite: BM25; PostgreSQL: ts_rank_cd).</summary>
    Task<IReadOnlyList<long>> KeywordAsync(SearchQuery query, IReadOnlyList<SearchTerm> terms, int limit, CancellationToken ct);

    /// <summary>Documents whose vector of <paramref name="model"/> is nearest to <paramref name="vector"/>, nearest first.</summary>
    Task<IReadOnlyList<long>> NearestAsync(SearchQuery query, string model, float[] vector, int limit, CancellationToken ct);

    Task<IReadOnlyList<SearchDocument>> DocumentsAsync(long tenantId, IReadOnlyList<long> ids, CancellationToken ct);
}
