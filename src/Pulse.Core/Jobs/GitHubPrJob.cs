namespace Pulse.Core.Jobs;

/// <summary>
/// The <c>github_prs</c> job: the seed's four steps, in their order. This list is the only place
/// the order is written; a step's transform waits for the transform of the step whose rows its
/// rows point to: commits and reviews to pull requests, comments to reviews (and so to pull requests).
/// </summary>
public static class GitHubPrJob
{
    public const string Name = "github_prs";
    public const string DiscoveryJobName = "github_repositories";

    public static readonly PipelineStep PullRequests = new("github_pull_requests", 1, "Pull Requests");
    public static readonly PipelineStep Commits = new("github_commits", 2, "Commits");
    public static readonly PipelineStep Reviews = new("github_reviews", 3, "Reviews");
    public static readonly PipelineStep Comments = new("github_comments", 4, "Comments");

    public static readonly IReadOnlyList<PipelineStep> Steps = [PullRequests, Commits, Reviews, Comments];

    public static PipelineStep Step(string name) =>
        Steps.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"Unknown step '{name}'.", nameof(name));

    /// <summary>
    /// The step whose transform must finish before this step's transform may start (null for the first).
    /// Commits and reviews only need their pull request's row, so both transform while the other is still being
    /// extracted; comments need the reviews they belong to (their review key is resolved when they are written).
    /// </summary>
    public static PipelineStep? Before(PipelineStep step) => step.Order switch
    {
        1 => null,
        2 or 3 => PullRequests,
        _ => Reviews,
    };
}
