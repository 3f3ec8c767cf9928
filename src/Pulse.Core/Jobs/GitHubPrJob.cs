namespace Pulse.Core.Jobs;

/// <summary>
/// The <c>github_prs</c> job: the seed's four steps, in their order. This list is the only place
/// the order is written. A step's transform waits only for what its rows really need (issue #7):
/// commits, reviews and comments hold keys to PR rows, so they start once the PR transform has
/// ended (a page that carries its PRs' rows is transformed whole at once, see
/// <see cref="RunStateMachine.TransformStartsWaiting"/>) and then run side by side; the last step ends after the others, because its sweep links
/// comments to their reviews and derives the PR metrics from every child table.
/// </summary>
public static class GitHubPrJob
{
    public const string Name = "github_prs";
    public const string DiscoveryJobName = "github_repositories";

    /// <summary>
    /// The webhook refreshes of an integration: runs of the same steps over the PRs its deliveries named (issue 15). Its lease
    /// says which process refreshes the integration; refreshes running side by side each have a slot job of their own.
    /// </summary>
    public const string RefreshJobName = "github_pr_refresh";

    /// <summary>The job of refresh slot <paramref name="slot"/> (from 0): the refresh job itself, then github_pr_refresh_2, _3, ...</summary>
    public static string RefreshSlotJobName(int slot) => slot == 0 ? RefreshJobName : $"{RefreshJobName}_{slot + 1}";

    public static readonly PipelineStep PullRequests = new("github_pull_requests", 1, "Pull Requests");
    public static readonly PipelineStep Commits = new("github_commits", 2, "Commits");
    public static readonly PipelineStep Reviews = new("github_reviews", 3, "Reviews");
    public static readonly PipelineStep Comments = new("github_comments", 4, "Comments");

    public static readonly IReadOnlyList<PipelineStep> Steps = [PullRequests, Commits, Reviews, Comments];

    public static PipelineStep Step(string name) =>
        Steps.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"Unknown step '{name}'.", nameof(name));

    /// <summary>The steps whose transforms must have ended before this step's transform may start: its rows hold keys to theirs.</summary>
    public static IReadOnlyList<PipelineStep> TransformStartsAfter(PipelineStep step) => step.Order == 1 ? [] : [PullRequests];

    /// <summary>The steps whose transforms must have ended before this step's transform may end (and run its sweep).</summary>
    public static IReadOnlyList<PipelineStep> TransformEndsAfter(PipelineStep step) =>
        step == Steps[^1] ? Steps.Take(Steps.Count - 1).ToList() : TransformStartsAfter(step);
}
