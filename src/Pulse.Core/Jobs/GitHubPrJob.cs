namespace Pulse.Core.Jobs;

/// <summary>
/// The <c>github_prs</c> job: the seed's four steps, in their order. This list is the only place
/// the order is written; transforms of a step wait for the previous step's transform, because
/// commits, reviews and comments hold foreign keys to rows the earlier steps write.
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

    /// <summary>The step whose transform must finish before this step's transform may start (null for the first).</summary>
    public static PipelineStep? Before(PipelineStep step) => step.Order == 1 ? null : Steps[step.Order - 2];
}
