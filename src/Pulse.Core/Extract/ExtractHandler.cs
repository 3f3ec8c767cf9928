using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Polly;
using Polly.Retry;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;

namespace Pulse.Core.Extract;

/// <summary>
/// Handles one extraction message, a turn: claims pending checkpoints of the run the database chose,
/// packs as many as fit into one query (by cost and by the work it will cause), sends it (backing off
/// and shrinking on failure, never sending a pack that timed out again), then stores the answer and
/// advances the checkpoints in one transaction before queuing what it revealed.
/// </summary>
public sealed class ExtractHandler(
    IJobStore jobs,
    ICheckpointStore checkpoints,
    IRepositoryStore repositories,
    IGitHubConnections connections,
    IWorkQueue queue,
    RunCoordinator coordinator,
    WorkBudgets budgets,
    ExtractOptions options,
    TimeProvider time)
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly QueryPlanner _planner = new(options);
    /// <summary>Runs whose token's limit this process found spent, and until when: until then their turns go to other runs.</summary>
    private readonly ConcurrentDictionary<long, DateTimeOffset> _paused = new();
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<GitHubTransientException>().Handle<GitHubSecondaryLimitException>().Handle<GitHubRateLimitedException>()
                .Handle<GitHubTokenSetAsideException>(),
            MaxRetryAttempts = options.MaxAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.InitialBackoff,
            MaxDelay = options.MaxBackoff,
            // A secondary limit says how long to wait; a primary one is waited out by the budget before the next send.
            DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Exception switch
            {
                GitHubSecondaryLimitException s => s.RetryAfter,
                GitHubRateLimitedException or GitHubTokenSetAsideException => TimeSpan.Zero,
                _ => null,
            }),
        })
        .Build();

    /// <summary>
    /// One extraction turn. The message names the run that queued it, but the database decides whom the turn serves: the
    /// least recently served running run with claimable work, of any tenant. So a run's share does not grow with the
    /// messages it has in circulation, and a run whose token's limit is spent gives its turns to the others.
    /// </summary>
    public async Task HandleAsync(WorkMessage message, CancellationToken ct)
    {
        // Runs this turn passes over: those whose token's limit is spent (until when), and those with nothing to lease after all.
        var spent = _paused.Where(p => p.Value > time.GetUtcNow()).ToDictionary();
        var skipped = new HashSet<long>();
        while (true)
        {
            // Ending with nothing to claim while others hold claims, the message is owed back; waiting for a limit below, it is not.
            var turn = await checkpoints.ClaimTurnAsync([.. spent.Keys, .. skipped], owedIfNone: spent.Count == 0, options.ClaimBatch, _owner,
                time.GetUtcNow() + options.Lease, ct);
            if (turn is null)
            {
                if (spent.Count == 0) return;
                // Every run with work waits for its limit: sleep until the first resumes, as a run alone always did.
                var (first, resumeAt) = spent.MinBy(p => p.Value);
                spent.Remove(first);
                if (resumeAt > time.GetUtcNow()) await Task.Delay(resumeAt - time.GetUtcNow(), time, ct);
                continue;
            }

            // Checkpoints a late commit held locked (PostgreSQL skips those): the next run. The claim chose a running run; one that
            // ends meanwhile is stopped by its commit's fence and the state machine, as it would be after any later read.
            var run = turn.Run;
            if (turn.Checkpoints.Count == 0)
            {
                await checkpoints.ReleaseAsync(Ids(turn.Checkpoints), _owner, new CheckpointRelease(), ct);
                skipped.Add(turn.RunId);
                continue;
            }
            Yield? yielded;
            try
            {
                var connection = await connections.ForIntegrationAsync(run.TenantId, run.IntegrationId, ct);
                yielded = await ServeAsync(run, connection, turn.Checkpoints, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                throw await FailTurnAsync(run, turn.Checkpoints, e, ct);
            }
            if (yielded is null) return;
            // The run's token has spent its limit: its claims went back, and this turn goes to another run.
            _paused[run.Id] = spent[run.Id] = yielded.ResumeAt;
            if (yielded.HandedOn) return;
        }
    }

    /// <summary>
    /// A turn failed for a reason GitHub's answer does not explain: its claims go back with the attempt counted, so the retry
    /// of this message takes them again, and a checkpoint that fails as many times as a message is tried is failed for good
    /// with the error. Only checkpoints this worker still holds are touched.
    /// </summary>
    private async Task<ExtractTurnException> FailTurnAsync(RunRecord run, IReadOnlyList<Checkpoint> claimed, Exception error, CancellationToken ct)
    {
        var ids = Ids(claimed);
        await checkpoints.ReleaseAsync(ids, _owner,
            new CheckpointRelease(CountAttempt: true, FailWith: $"{error.GetType().Name}: {error.Message}", MaxAttempts: Sync.PipelineWorkers.MaxAttempts), ct);
        await coordinator.AfterCommitAsync(run.Id, ct);
        return new ExtractTurnException(run.Id, ids, error);
    }

    /// <summary>Reserves the points without waiting; when the token's limit is spent, shows the pause and says until when.</summary>
    private static async Task<DateTimeOffset?> SpentUntilAsync(GitHubLane lane, int points, PauseListener pause, CancellationToken ct)
    {
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var spent = new SpentListener(pause, probe, ct);
        try
        {
            await lane.Budget.WaitForAsync(points, spent, probe.Token);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && spent.ResumeAt is not null)
        {
            return spent.ResumeAt;
        }
    }

    /// <summary>Serves the run's claims; null when done, else the turn was yielded to the other runs (the token's limit is spent).</summary>
    private async Task<Yield?> ServeAsync(RunRecord run, GitHubConnection connection, IReadOnlyList<Checkpoint> claimed, CancellationToken ct)
    {
        var attempt = new Attempt([.. claimed]);
        try
        {
            return await FetchAndStoreAsync(run, attempt, connection, new PauseListener(jobs, coordinator, run), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Only what this worker still holds: what its query left out may have been handed back (and re-claimed) already.
            await ReleaseOnStopAsync([.. attempt.Current, .. attempt.TakeDropped()]);
            throw;
        }
    }

    /// <summary>
    /// This process is stopping: hands the claims back now, so another worker takes them at once instead of
    /// waiting for the lease to expire. Best effort: if this fails, the lease still ends.
    /// </summary>
    private async Task ReleaseOnStopAsync(IReadOnlyList<Checkpoint> held)
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await checkpoints.ReleaseAsync(Ids(held), _owner, new CheckpointRelease(), grace.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
    }

    private async Task<Yield?> FetchAndStoreAsync(RunRecord run, Attempt attempt, GitHubConnection connection, PauseListener pause, CancellationToken ct)
    {
        foreach (var step in attempt.All.Select(c => FetchKinds.StepOf(c.Kind).Name).Distinct())
            await coordinator.MarkRunningAsync(run.Id, step, Stage.Extract, run.JobId, run.TenantId, ct);

        GraphQLResponse response;
        try
        {
            response = await _retry.ExecuteAsync(async token => await SendAsync(run, attempt, connection, pause, token), ct);
        }
        catch (LimitSpentException e)
        {
            // No worker and no claim sits idle through a rate-limit pause while other runs have work.
            await checkpoints.ReleaseAsync(Ids([.. attempt.Current, .. attempt.TakeDropped()]), _owner, new CheckpointRelease(), ct);
            // A message handed on already goes on in its place: this one only pays what it owes.
            if (attempt.HandedOn) await ContinueAsync(run, attempt, ct);
            return new Yield(e.ResumeAt, attempt.HandedOn);
        }
        catch (GitHubAuthException e)
        {
            await checkpoints.ReleaseAsync(Ids(attempt.All), _owner, new CheckpointRelease(), ct);
            await coordinator.FailRunAsync(run.Id, e.Message, ct);
            // The turn goes on to the other runs (this one ended and no longer takes turns).
            await ContinueAsync(run, attempt, ct);
            return null;
        }
        catch (GitHubException e)
        {
            // Out of retries for this message (or GitHub refused the query): count the attempt and let the run go on.
            // Waiting out a limit is no failure of the query: it does not count towards giving it up.
            var failure = e is GitHubSecondaryLimitException or GitHubRateLimitedException or GitHubTokenSetAsideException ? new CheckpointRelease()
                : new CheckpointRelease(CountAttempt: true, FailWith: e.Message, MaxAttempts: options.MaxAttempts);
            await checkpoints.ReleaseAsync(Ids(attempt.Current), _owner, failure, ct);
            await checkpoints.ReleaseAsync(Ids(attempt.TakeDropped()), _owner, new CheckpointRelease(), ct);
            await ContinueAsync(run, attempt, ct);
            await coordinator.AfterCommitAsync(run.Id, ct);
            return null;
        }

        using (response)
        {
            await StoreAsync(run, attempt, response, ct);
        }
        await ContinueAsync(run, attempt, ct);
        await coordinator.AfterCommitAsync(run.Id, ct);
        return null;
    }

    private async Task<GraphQLResponse> SendAsync(RunRecord run, Attempt attempt, GitHubConnection connection, PauseListener pause, CancellationToken ct)
    {
        var plan = attempt.Fresh(_planner.Plan(attempt.Current, budgets)!);
        attempt.Keep(plan.Units.Select(u => u.Checkpoint).ToList());
        attempt.Plan = plan;
        // The account with the most budget left takes the query; when all are spent, the one that resets first.
        var lane = connection.Pick();
        if (await SpentUntilAsync(lane, plan.Points, pause, ct) is { } resumeAt) throw new LimitSpentException(resumeAt);
        if (_paused.TryRemove(run.Id, out _)) await pause.ResumedAsync(ct);
        await HandOnAsync(run, attempt, ct);
        try
        {
            return await lane.SendAsync(connection, plan.Text, plan.Variables, ct);
        }
        catch (GitHubTransientException e) when (e.IsTimeout)
        {
            // Make the part that failed smaller: less work per query for its kinds, or a narrower page when it was alone.
            attempt.TimedOut(plan);
            if (plan.Units.Count > 1) budgets.TimedOut(plan.Units);
            else attempt.Shrink(plan.Units[0].Checkpoint);
            throw;
        }
    }

    private async Task StoreAsync(RunRecord run, Attempt attempt, GraphQLResponse response, CancellationToken ct)
    {
        var plan = attempt.Plan!;
        var outcome = PageReader.Read(response, plan.Units);
        var entityType = string.Join('+', plan.Units.Select(u => FetchKinds.Name(u.Checkpoint.Kind)).Distinct().Order());
        var page = new ExtractedPage(run.Id, run.TenantId, run.IntegrationId, entityType, Hash(plan.Text), plan.Variables.ToJsonString(),
            response.Body, outcome, response.Cost ?? plan.Points, plan.Requests) { MaxAttempts = options.MaxAttempts, LeaseOwner = _owner };
        var result = await checkpoints.CommitPageAsync(page, ct);
        if (result.Discarded)
        {
            // Another worker took over a checkpoint after this lease ran out, and fetches it again: hand back what is still ours.
            await checkpoints.ReleaseAsync(Ids([.. attempt.Current, .. attempt.TakeDropped()]), _owner, new CheckpointRelease(), ct);
            return;
        }
        // After the commit, not in it: a crash in between costs the next run one repeated NOT_FOUND, nothing more.
        foreach (var repositoryId in outcome.MissingRepositories)
            await repositories.DeactivateAsync(run.TenantId, repositoryId, ct);
        await checkpoints.ReleaseAsync(Ids(attempt.TakeDropped()), _owner, new CheckpointRelease(), ct);
        // What GitHub left unanswered at its resource limits goes back untouched, for a smaller query; no attempt of it failed.
        await checkpoints.ReleaseAsync(Ids(outcome.Deferred.Select(u => u.Checkpoint)), _owner, new CheckpointRelease(), ct);
        if (outcome.ResourceLimited) budgets.Limited(plan.Units, plan.Units.Except(outcome.Deferred).Sum(u => u.Load));
        else budgets.Succeeded(plan.Units);
        foreach (var item in result.TransformItemsToQueue)
            await queue.PublishAsync(new WorkMessage(QueueNames.Transform, run.TenantId, run.Id, item), ct);
    }

    /// <summary>
    /// Before this worker waits for its answer: gives back the claimed checkpoints its query left out, and if more
    /// work is claimable now, queues a message so another worker sends the next query while this one waits.
    /// </summary>
    private async Task HandOnAsync(RunRecord run, Attempt attempt, CancellationToken ct)
    {
        var dropped = attempt.TakeDropped();
        if (dropped.Count > 0) await checkpoints.ReleaseAsync(Ids(dropped), _owner, new CheckpointRelease(), ct);
        if (attempt.HandedOn || (dropped.Count == 0 && attempt.All.Count < options.ClaimBatch)) return;
        attempt.HandedOn = true;
        await queue.PublishAsync(new WorkMessage(QueueNames.Extract, run.TenantId, run.Id, 0), ct);
    }

    /// <summary>
    /// Keeps extraction going with as many messages as it had: this one's successor, unless it handed one on already
    /// or no work is left, and one owed for a message that found nothing to claim while this turn held its claims.
    /// </summary>
    private async Task ContinueAsync(RunRecord run, Attempt attempt, CancellationToken ct)
    {
        for (var next = await checkpoints.SettleTurnAsync(run.Id, attempt.HandedOn, ct); next > 0; next--)
            await queue.PublishAsync(new WorkMessage(QueueNames.Extract, run.TenantId, run.Id, 0), ct);
    }

    private static List<long> Ids(IEnumerable<Checkpoint> cps) => cps.Select(c => c.Id).ToList();

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The checkpoints of one message across its retries.</summary>
    private sealed class Attempt(List<Checkpoint> claimed)
    {
        public List<Checkpoint> All { get; } = claimed;
        public List<Checkpoint> Current { get; private set; } = claimed;
        private readonly HashSet<long> _released = [];
        /// <summary>Packs that timed out: GitHub would only time out on them again and charge for it.</summary>
        private readonly HashSet<string> _timedOut = new(StringComparer.Ordinal);
        public PlannedQuery? Plan { get; set; }
        public bool HandedOn { get; set; }

        /// <summary>Claimed checkpoints the query no longer carries and that were not given back yet.</summary>
        public List<Checkpoint> TakeDropped()
        {
            var current = Current.Select(c => c.Id).ToHashSet();
            return All.Where(c => !current.Contains(c.Id) && _released.Add(c.Id)).ToList();
        }

        public void Keep(List<Checkpoint> kept) => Current = kept;

        public void Shrink(Checkpoint cp) => Current = Current.Select(c => c.Id == cp.Id ? c with { PageSize = Math.Max(1, c.PageSize / 2) } : c).ToList();

        public void TimedOut(PlannedQuery plan) => _timedOut.Add(Signature(plan.Units));

        /// <summary>The plan, or a smaller one when exactly this pack timed out before: its first half, or a narrower page when alone.</summary>
        public PlannedQuery Fresh(PlannedQuery plan)
        {
            var units = plan.Units.ToList();
            while (_timedOut.Contains(Signature(units)))
            {
                if (units.Count > 1)
                {
                    units = units.Take(units.Count / 2).ToList();
                    continue;
                }
                var alone = units[0];
                if (alone.First <= 1) break;   // one item alone: nothing smaller to ask for
                units = [alone with { First = Math.Max(1, alone.First / 2) }];
            }
            return units.Count == plan.Units.Count && ReferenceEquals(units[^1], plan.Units[^1]) ? plan : QueryBuilder.Build(units);
        }

        private static string Signature(IEnumerable<FetchUnit> units) =>
            string.Join('|', units.Select(u => $"{u.Checkpoint.Id}:{u.Checkpoint.Cursor}:{u.First}"));
    }

    /// <summary>A turn given up for the token's limit, until when, and whether a message was handed on before.</summary>
    private sealed record Yield(DateTimeOffset ResumeAt, bool HandedOn);

    /// <summary>Ends a send whose token's limit is spent, without waiting: the turn goes to another run.</summary>
    private sealed class LimitSpentException(DateTimeOffset resumeAt) : Exception("The token's rate limit is spent.")
    {
        public DateTimeOffset ResumeAt { get; } = resumeAt;
    }

    /// <summary>Turns a budget's pause into an answer: shows it on the job, records when it ends, and stops the wait.</summary>
    private sealed class SpentListener(PauseListener pause, CancellationTokenSource probe, CancellationToken ct) : IRateLimitPauseListener
    {
        public DateTimeOffset? ResumeAt { get; private set; }

        public async Task PausedAsync(DateTimeOffset resumeAt, CancellationToken _)
        {
            ResumeAt = resumeAt;
            await pause.PausedAsync(resumeAt, ct);
            await probe.CancelAsync();
        }

        // A budget that reset meanwhile resumes at once: the job shows RUNNING again.
        public Task ResumedAsync(CancellationToken _) => pause.ResumedAsync(ct);
    }

    /// <summary>Shows RATE_LIMITED (with the resume time) while the budget waits, then RUNNING again.</summary>
    private sealed class PauseListener(IJobStore jobs, RunCoordinator coordinator, RunRecord run) : IRateLimitPauseListener
    {
        public async Task PausedAsync(DateTimeOffset resumeAt, CancellationToken ct)
        {
            if (await jobs.SetOverallAsync(run.JobId, OverallStatus.RateLimited, resumeAt, null, ct))
                await coordinator.PublishStatusAsync(run.JobId, run.TenantId, ct);
        }

        public async Task ResumedAsync(CancellationToken ct)
        {
            if (await jobs.SetOverallAsync(run.JobId, OverallStatus.Running, null, null, ct))
                await coordinator.PublishStatusAsync(run.JobId, run.TenantId, ct);
        }
    }
}
