using Pulse.Core.Embed;
using Pulse.Core.Storage;

namespace Pulse.Core.Search;

/// <summary>
/// Keyword and vector search fused by <see cref="ReciprocalRankFusion"/>: an identifier the model cannot tell apart from its
/// neighbours is still found by its exact token, and a paraphrase without a shared word by its meaning. Without a model
/// (<c>--no-embeddings</c>) the search is keyword-only.
/// </summary>
public sealed class HybridSearch(ISearchStore store, EmbeddingModel? model)
{
    /// <summary>How many candidates each ranking contributes before fusion, at least.</summary>
    public const int MinCandidates = 50;

    public bool HasVectors => model is not null;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, SearchMode mode = SearchMode.Hybrid, CancellationToken ct = default)
    {
        if (mode == SearchMode.Vector && model is null) throw new ArgumentException("Vector search needs the embedding model, and embeddings are off.");
        var candidates = Math.Max(query.Limit * 5, MinCandidates);
        var terms = SearchText.Terms(query.Text);
        IReadOnlyList<long> keyword = mode != SearchMode.Vector && terms.Count > 0 ? await store.KeywordAsync(query, terms, candidates, ct) : [];
        IReadOnlyList<long> nearest = [];
        if (mode != SearchMode.Keyword && model is not null)
        {
            var vector = (await model.Generator.GenerateAsync([query.Text], cancellationToken: ct))[0].Vector.ToArray();
            nearest = await store.NearestAsync(query, model.Id, vector, candidates, ct);
        }
        var fused = ReciprocalRankFusion.Fuse(keyword, nearest).Take(query.Limit).ToList();
        var documents = (await store.DocumentsAsync(query.TenantId, fused.Select(f => f.Id).ToList(), ct)).ToDictionary(d => d.Id);
        return fused.Where(f => documents.ContainsKey(f.Id)).Select(f =>
        {
            var d = documents[f.Id];
            return new SearchHit(SearchKind.Of(d.Table), d.RowId, f.Score, d.Repository, (int)d.PullRequestNumber, d.PullRequestUrl, d.Title, d.State, d.Author, d.At,
                SearchSnippet.Around(d.Table == "prs" ? d.Title + "\n" + d.Text : d.Text, terms));
        }).ToList();
    }
}
