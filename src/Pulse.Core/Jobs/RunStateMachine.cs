using Pulse.Core.Extract;
using Pulse.Core.Storage;

namespace Pulse.Core.Jobs;

/// <summary>
/// Decides every stage and run transition, from what a run's store reports (<see cref="RunSnapshot"/>); the stores only
/// report and flip. A stage finishes when the stages that feed it have ended and none of its own work is open; work that
/// failed for good does not hold a stage open, it ends the stage failed, and a run whose every stage has ended is complete,
/// FAILED if any stage failed. No first/last-item flags: only counts, so redeliveries and concurrent workers cannot fool it.
/// </summary>
public static class RunStateMachine
{
    public static readonly IReadOnlyCollection<string> NotStarted = [StageState.Idle];
    public static readonly IReadOnlyCollection<string> NotEnded = [StageState.Idle, StageState.Running];

    /// <summary>
    /// A transform item of <paramref name="step"/> is created waiting when the step's transform must wait for others (its rows hold
    /// keys to theirs): <see cref="Decide"/> releases it once those have ended, so the gate is decided here only. A page that
    /// carries those rows itself starts it pending: PRs asked by node id come with their connections' first pages (a webhook's
    /// refresh), and a page's transform writes its steps in step order in one transaction, so the PR rows are in before their
    /// children, and one commit instead of two ends the page.
    /// </summary>
    public static bool TransformStartsWaiting(PipelineStep step, IReadOnlyList<RawUnit> pageUnits)
    {
        if (GitHubPrJob.TransformStartsAfter(step).Count == 0) return false;
        var carried = pageUnits.Where(u => u.Ok && u.Kind == FetchKind.PullRequest).Select(u => u.PullRequestNodeId).ToHashSet(StringComparer.Ordinal);
        return !pageUnits.Where(u => u.Ok && FetchKinds.StepOf(u.Kind) == step).All(u => u.PullRequestNodeId is { } pr && carried.Contains(pr));
    }

    /// <summary>What to do to the run now: gates to open, stages to end (and whether failed), whether the run is complete.</summary>
    public static RunDecision Decide(RunSnapshot run)
    {
        var states = run.Stages.ToDictionary(s => s.Key, s => s.Value.State);
        var releases = new List<string>();
        var ends = new List<StageEnd>();
        if (run.Run.Status != RunStatus.Running) return new RunDecision(releases, ends, Complete: false, Failed: false);

        bool Ended(string step, Stage stage) => states.GetValueOrDefault(new StageKey(step, stage)) is StageState.Finished or StageState.Failed;
        StageWork Work(string step, Stage stage) => run.Stages.GetValueOrDefault(new StageKey(step, stage)) ?? new StageWork(StageState.Idle, false, false, false);
        void End(string step, Stage stage)
        {
            var failed = Work(step, stage).Failed;
            ends.Add(new StageEnd(step, stage, failed));
            states[new StageKey(step, stage)] = failed ? StageState.Failed : StageState.Finished;
        }

        // Steps in order: what a step waits for comes before it, so one pass sees every end it depends on.
        foreach (var step in GitHubPrJob.Steps)
        {
            var name = step.Name;
            // Extract: the first step's listings reveal the other steps' checkpoints, so those end after it.
            var fed = step == GitHubPrJob.Steps[0] || Ended(GitHubPrJob.Steps[0].Name, Stage.Extract);
            if (fed && !Ended(name, Stage.Extract) && !Work(name, Stage.Extract).Open) End(name, Stage.Extract);

            // Transform: opens when the steps its rows point at have ended theirs; ends when its extract has, the steps it
            // ends after have ended theirs (the last step's sweep reads every child table), and no item of it is open.
            if (!Ended(name, Stage.Transform) && GitHubPrJob.TransformStartsAfter(step).All(s => Ended(s.Name, Stage.Transform)))
            {
                if (Work(name, Stage.Transform).Waiting) releases.Add(name);
                if (Ended(name, Stage.Extract) && GitHubPrJob.TransformEndsAfter(step).All(s => Ended(s.Name, Stage.Transform))
                    && !Work(name, Stage.Transform).Open)
                    End(name, Stage.Transform);
            }

            // Embed: its items are created by the step's transform commits, so it ends after the transform.
            if (Ended(name, Stage.Transform) && !Ended(name, Stage.Embed) && !Work(name, Stage.Embed).Open) End(name, Stage.Embed);
        }

        var complete = GitHubPrJob.Steps.All(s => Enum.GetValues<Stage>().All(g => Ended(s.Name, g)));
        return new RunDecision(releases, ends, complete, complete && states.Values.Contains(StageState.Failed));
    }

    /// <summary>The run's error when it ended failed: where its first permanent failure happened, and why.</summary>
    public static string FailureMessage(RunFailure? first) => first is null
        ? "Some items failed; see the run's failures."
        : $"{Verb(first.Stage)} of {first.Step} failed: {first.Error}";

    /// <summary>A failed run is reopened (resumed) only while it has work left that is open or failed.</summary>
    public static bool CanReopen(RunSnapshot run) => run.Run.Status == RunStatus.Failed && run.Stages.Values.Any(s => s.Open || s.Failed);

    /// <summary>Reopens a failed run that still has open or failed work (it resumes from its checkpoints); false if nothing is left.</summary>
    public static Task<bool> ReopenAsync(IRunStore runs, long runId, CancellationToken ct) => runs.LockRunAsync(runId, async (tx, token) =>
    {
        if (!CanReopen(await tx.ReadAsync(token))) return false;
        await tx.ReopenAsync(token);
        return true;
    }, ct);

    private static string Verb(Stage stage) => stage switch
    {
        Stage.Extract => "extract",
        Stage.Transform => "transform",
        _ => "embed",
    };
}

/// <summary>A stage the state machine ends, failed or finished.</summary>
public sealed record StageEnd(string Step, Stage Stage, bool Failed);

/// <summary>The transitions of one decision: steps whose waiting transforms to release, stages to end, and the run's end.</summary>
public sealed record RunDecision(IReadOnlyList<string> Releases, IReadOnlyList<StageEnd> Ends, bool Complete, bool Failed)
{
    /// <summary>Nothing to do: no gate opens, no stage ends, the run goes on.</summary>
    public bool None => Releases.Count == 0 && Ends.Count == 0 && !Complete;
}
