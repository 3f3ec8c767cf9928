using Pulse.Core.Storage;
using Pulse.Core.Transform;

namespace Pulse.Storage;

/// <summary>
/// The keyword texts of rows (<see cref="SearchDocuments.TextOf(PullRequestRow)"/> and its siblings), tokenized before a write
/// transaction begins: on SQLite a transaction holds the one writer, so work that needs no database is done before it. A row
/// not tokenized here is tokenized when it is written: so are the few parent PRs written at all (RowWriter.ParentPullRequestsAsync).
/// </summary>
internal sealed class SearchTexts
{
    private readonly Dictionary<object, string> _texts = new(ReferenceEqualityComparer.Instance);

    public static readonly SearchTexts None = new();

    public static SearchTexts Of(IEnumerable<TransformBatch> batches)
    {
        var texts = new SearchTexts();
        foreach (var batch in batches)
        {
            foreach (var pr in batch.PullRequests) texts._texts[pr] = SearchDocuments.TextOf(pr);
            foreach (var commit in batch.Commits) texts._texts[commit] = SearchDocuments.TextOf(commit);
            foreach (var review in batch.Reviews) texts._texts[review] = SearchDocuments.TextOf(review);
            foreach (var comment in batch.Comments) texts._texts[comment] = SearchDocuments.TextOf(comment);
        }
        return texts;
    }

    public string For(PullRequestRow pr) => _texts.GetValueOrDefault(pr) ?? SearchDocuments.TextOf(pr);

    public string For(CommitRow commit) => _texts.GetValueOrDefault(commit) ?? SearchDocuments.TextOf(commit);

    public string For(ReviewRow review) => _texts.GetValueOrDefault(review) ?? SearchDocuments.TextOf(review);

    public string For(CommentRow comment) => _texts.GetValueOrDefault(comment) ?? SearchDocuments.TextOf(comment);
}
