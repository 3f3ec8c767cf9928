namespace Pulse.Core.Search;

/// <summary>What a hit is: its name in the CLI, the API and the dashboard (pr, commit, review, comment) and its table.</summary>
public static class SearchKind
{
    public static readonly IReadOnlyList<string> Names = ["pr", "commit", "review", "comment"];

    public static string Table(string kind) => kind switch
    {
        "pr" => "prs",
        "commit" => "prs_commits",
        "review" => "prs_reviews",
        "comment" => "prs_comments",
        _ => throw new ArgumentException($"kind must be one of {string.Join(", ", Names)}, not '{kind}'."),
    };

    public static string Of(string table) => table switch
    {
        "prs" => "pr",
        "prs_commits" => "commit",
        "prs_reviews" => "review",
        _ => "comment",
    };
}
