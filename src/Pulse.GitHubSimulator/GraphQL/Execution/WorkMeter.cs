namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// Adds up, while a query executes, the simulated milliseconds GitHub spends on what it touches
/// (<see cref="ProcessingModel"/>), so the executor can stop at the resource budget between root fields
/// and the host can time the answer out.
/// </summary>
internal sealed class WorkMeter(ProcessingModel model)
{
    private double _ms = model.BaseMs;

    /// <summary>Simulated milliseconds so far, at timing scale 1.</summary>
    public double Milliseconds => _ms;

    /// <summary>One object of <paramref name="typeName"/> resolved at connection depth <paramref name="depth"/>.</summary>
    public void Object(string typeName, int depth)
    {
        var ms = typeName switch
        {
            "PullRequest" => model.PerPullRequestMs,
            "Commit" => model.PerCommitMs,
            "User" or "Bot" or "Mannequin" or "Organization" or "EnterpriseUserAccount" => model.PerActorMs,
            // Embedded values are part of their row: a git actor, an author's login, a page's info.
            "GitActor" or "PageInfo" or "RateLimit" => 0,
            _ => model.PerRowMs,
        };
        _ms += ms * model.Nesting(depth);
    }

    public void DiffStats(int depth) => _ms += model.PerCommitDiffStatsMs * model.Nesting(depth);

    public void GitActorUser(int depth) => _ms += model.PerGitActorUserMs * model.Nesting(depth);

    public void ConnectionPage(int depth) => _ms += model.PerConnectionPageMs * model.Nesting(depth);

    /// <summary>A count is kept with its parent row, so its depth does not matter.</summary>
    public void TotalCount() => _ms += model.PerTotalCountMs;

    public void Text(int bytes) => _ms += model.PerKiBTextMs * bytes / 1024.0;
}
