namespace Pulse.Core.Search;

/// <summary>How a search ranks: both rankings fused (the default), or one of them alone (what the quality bench compares).</summary>
public enum SearchMode
{
    Hybrid,
    Keyword,
    Vector,
}

/// <summary>
/// A search of one tenant's synced text. Every filter is optional: <see cref="Repository"/> is NAME or OWNER/NAME,
/// <see cref="Author"/> the login of the row's author, <see cref="State"/> its PR's state (OPEN, CLOSED, MERGED),
/// <see cref="Kind"/> one of <see cref="SearchKind.Names"/>, and the period the row's time (a PR's creation, a commit's
/// date, a review's submission, a comment's creation) from <see cref="Since"/> up to, not including, <see cref="Until"/>.
/// </summary>
public sealed record SearchQuery(long TenantId, string Text, int Limit = 10)
{
    public string? Repository { get; init; }
    public string? Author { get; init; }
    public string? State { get; init; }
    public string? Kind { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
}

/// <summary>A hit: the row (kind, id), its fused score and its PR (repository, number, URL, title, state).</summary>
public sealed record SearchHit(string Kind, long RowId, double Score, string Repository, int PullRequestNumber, string? PullRequestUrl, string Title,
    string State, string? Author, DateTimeOffset? At, string Snippet);
