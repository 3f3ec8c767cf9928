namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// How long GitHub works on what a query touches, at timing scale 1. Calibrated on the public record
/// (shared/github/LIMITS.md, "The calibration query"): over a 300-PR heavy-tail repository, Apache DevLake's
/// PR query times out at 30 PRs per page on at least one page and on at most 1% of pages at 10
/// (ProcessingModelCalibrationTests holds it to that). Rows cost by kind; a commit's diff stats and a git
/// actor's account are extra lookups; text costs by size; and rows of a connection nested in another's
/// nodes cost <see cref="NestingFactor"/> more per level, because GitHub loads a nested connection once per
/// parent (its cost rule charges one request per parent for the same reason) and names depth as what exhausts
/// its resources. Embedded values (an author's login, a commit's git actor) are part of their row.
/// </summary>
internal sealed record ProcessingModel
{
    public static readonly ProcessingModel GitHub = new();

    /// <summary>Fixed cost of any query (parse, auth, analysis). Default 30 ms.</summary>
    public double BaseMs { get; init; } = 30;

    /// <summary>Per connection page loaded (one query per parent: the cost rule's "request"). Default 2 ms.</summary>
    public double PerConnectionPageMs { get; init; } = 2;

    /// <summary>Per totalCount-only connection (a count kept with its parent: no rows, at any depth). Default 0.3 ms.</summary>
    public double PerTotalCountMs { get; init; } = 0.3;

    /// <summary>Per PullRequest resolved. Default 2.5 ms.</summary>
    public double PerPullRequestMs { get; init; } = 2.5;

    /// <summary>Per git commit object read (oid, message, dates, git actors). Default 1.5 ms.</summary>
    public double PerCommitMs { get; init; } = 1.5;

    /// <summary>Per commit whose additions, deletions or changedFiles(IfAvailable) are asked: a diff. Default 1 ms.</summary>
    public double PerCommitDiffStatsMs { get; init; } = 1;

    /// <summary>Per git actor whose GitHub account is asked (author/committer { user }): an email lookup. Default 0.3 ms.</summary>
    public double PerGitActorUserMs { get; init; } = 0.3;

    /// <summary>Per account shown (an author, a merger: User, Bot, Mannequin...), loaded in batches. Default 0.2 ms.</summary>
    public double PerActorMs { get; init; } = 0.2;

    /// <summary>Per other row: review, comment, thread, label, repository, a PR's commit link. Default 0.5 ms.</summary>
    public double PerRowMs { get; init; } = 0.5;

    /// <summary>Per KiB of text served (bodies, messages, diff hunks). Default 0.1 ms.</summary>
    public double PerKiBTextMs { get; init; } = 0.1;

    /// <summary>Multiplier per level of connection nesting below the first. Default 10.</summary>
    public double NestingFactor { get; init; } = 10;

    /// <summary>The weight of rows at connection depth <paramref name="depth"/> (1 = a connection of a root object).</summary>
    public double Nesting(int depth) => depth <= 1 ? 1 : Math.Pow(NestingFactor, depth - 1);
}
