using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL;
using Pulse.GitHubSimulator.Synthetic;
using ExecutionContext = Pulse.GitHubSimulator.GraphQL.ExecutionContext;

namespace Pulse.Core.Tests.Extract;

/// <summary>
/// An <see cref="ExtractHandler"/> over in-memory stores, a fake clock and a scripted GitHub: faults queued by the test answer
/// first, then the simulator's engine answers each query from a small synthetic organisation. Nothing sleeps: every wait of the
/// handler is a timer of <see cref="Clock"/>, which the test moves.
/// </summary>
internal sealed class ExtractHandlerHarness
{
    public const long RunId = 1;
    private static readonly Lazy<(IGraphQLEngine Engine, IReadOnlyList<(string Owner, string Name)> Repositories)> Data = new(Load);

    public ExtractHandlerHarness(ExtractOptions? options = null)
    {
        Options = options ?? new ExtractOptions();
        Budgets = new WorkBudgets(Options);
        var run = new RunRecord(RunId, 1, 1, 1, RunStatus.Running, Clock.GetUtcNow(), null, null, false, null);
        var runs = new FakeRunStore(run);
        Checkpoints = new FakeCheckpointStore([.. Data.Value.Repositories.Select((r, i) =>
            new Checkpoint(i + 1, RunId, 1, i + 1, FetchKind.PullRequests, $"R_{i}", null, null, 5, 0, 100, null, r.Owner, r.Name))], run);
        GitHub = new ScriptedGitHub(Data.Value.Engine, Clock);
        var connection = new GitHubConnection([new GitHubAccount("token", new InMemoryRateLimitBudget(Clock, new RateLimitBudgetOptions()),
            [new GitHubGraphQLClient(new HttpClient(GitHub), new Uri("https://github.test/graphql"), "test-token")])]);
        var coordinator = new RunCoordinator(runs, Queue, new InProcessJobEventBus(), Clock);
        Handler = new ExtractHandler(Jobs, Checkpoints, new FakeRepositoryStore(), new FixedConnections(connection), Queue, coordinator, Budgets, Options, Clock);
    }

    public TimerClock Clock { get; } = new();
    public ExtractOptions Options { get; }
    public WorkBudgets Budgets { get; }
    public FakeCheckpointStore Checkpoints { get; }
    public ScriptedGitHub GitHub { get; }
    public FakeJobStore Jobs { get; } = new();
    public RecordingQueue Queue { get; } = new();
    public ExtractHandler Handler { get; }

    public Task HandleAsync(CancellationToken ct) => Handler.HandleAsync(new WorkMessage(QueueNames.Extract, 1, RunId, 0), ct);

    /// <summary>Waits (on the event, with a generous deadline) until <paramref name="condition"/> holds; the clock does not move.</summary>
    public static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition was not met within 60 s.");
            await Task.Delay(10, ct);
        }
    }

    private static (IGraphQLEngine, IReadOnlyList<(string, string)>) Load()
    {
        using var stream = new MemoryStream();
        SyntheticDataset.Generate(SyntheticSpec.Parse("repos=4,prs=12,seed=3,tails=none"), stream);
        var json = Encoding.UTF8.GetString(stream.ToArray());
        var repositories = JsonNode.Parse(json)!["repositories"]!.AsArray()
            .Select(r => ((string)r!["owner"]!, (string)r["name"]!)).Where(r => r.Item1 == SyntheticDataset.OrganizationLogin).ToList();
        return (new GitHubGraphQLEngine(SimulatorDataLoader.FromJson(json)), repositories);
    }
}

/// <summary>A fake clock that records every timer created on it, so a test moves time only once the handler waits.</summary>
internal sealed class TimerClock : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();

    public TimerClock() : base(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)) { }

    /// <summary>The due times of the timers created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers => [.. _timers];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _timers.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}

/// <summary>GitHub as the test scripts it: queued faults first, then the engine's answers; every request is kept with its time.</summary>
internal sealed class ScriptedGitHub(IGraphQLEngine engine, TimeProvider clock) : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _faults = new();
    private readonly ConcurrentQueue<SentQuery> _requests = new();

    public IReadOnlyList<SentQuery> Requests => [.. _requests];

    public void Fail(Func<HttpResponseMessage> fault) => _faults.Enqueue(fault);

    public static HttpResponseMessage GatewayTimeout() => new(HttpStatusCode.GatewayTimeout) { Content = new StringContent("") };

    public static HttpResponseMessage SecondaryLimit(TimeSpan retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("""{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"""),
        };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
        return response;
    }

    public static HttpResponseMessage PrimaryLimitSpent(DateTimeOffset resetAt)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}"""),
        };
        AddRateLimit(response, remaining: 0, resetAt);
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var payload = JsonNode.Parse(await request.Content!.ReadAsStringAsync(ct))!.AsObject();
        var query = (string)payload["query"]!;
        _requests.Enqueue(new SentQuery(clock.GetUtcNow(), query));
        if (_faults.TryDequeue(out var fault)) return fault();
        var plan = engine.Prepare(new GraphQLRequest(query, payload["variables"]?.AsObject(), null));
        if (plan.Errors.Count > 0) throw new InvalidOperationException("The handler sent an invalid query: " + plan.Errors[0].ToJsonString());
        var resetAt = clock.GetUtcNow().AddHours(1);
        var result = engine.Execute(plan, new ExecutionContext(new RateLimitSnapshot(plan.Cost.Points, 5000, 4900, 100, resetAt, plan.Cost.PossibleNodes), "viewer"));
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(result.Body) };
        AddRateLimit(response, remaining: 4900, resetAt);
        return response;
    }

    private static void AddRateLimit(HttpResponseMessage response, int remaining, DateTimeOffset resetAt)
    {
        response.Headers.Add("x-ratelimit-limit", "5000");
        response.Headers.Add("x-ratelimit-remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("x-ratelimit-used", (5000 - remaining).ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("x-ratelimit-reset", resetAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>A query the handler sent, and when.</summary>
internal sealed partial record SentQuery(DateTimeOffset At, string Text)
{
    /// <summary>Each unit of a pack is one aliased root field: u0, u1, ...</summary>
    public int Units => Unit().Count(Text);

    /// <summary>The listing pages' widths, in unit order.</summary>
    public IReadOnlyList<int> ListingWidths => [.. ListingWidth().Matches(Text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s+u\d+:", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex Unit();

    [System.Text.RegularExpressions.GeneratedRegex(@"pullRequests\(first: (\d+), after")]
    private static partial System.Text.RegularExpressions.Regex ListingWidth();
}

/// <summary>Checkpoints in memory: claims lease the free ones of runs not skipped; a committed page's checkpoints are done.</summary>
internal sealed class FakeCheckpointStore(IReadOnlyList<Checkpoint> checkpoints, RunRecord run) : ICheckpointStore
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _leased = [];
    private readonly HashSet<long> _done = [];
    private readonly List<(IReadOnlyList<long> Ids, CheckpointRelease Release)> _releases = [];
    private readonly List<ExtractedPage> _pages = [];

    public IReadOnlyList<(IReadOnlyList<long> Ids, CheckpointRelease Release)> Releases { get { lock (_gate) return [.. _releases]; } }
    public IReadOnlyList<ExtractedPage> Pages { get { lock (_gate) return [.. _pages]; } }
    public int Done { get { lock (_gate) return _done.Count; } }

    public Task<ExtractTurn?> ClaimTurnAsync(IReadOnlyCollection<long> skipRuns, bool owedIfNone, int max, string owner, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        lock (_gate)
        {
            var free = checkpoints.Where(c => !skipRuns.Contains(c.RunId) && !_leased.Contains(c.Id) && !_done.Contains(c.Id)).Take(max).ToList();
            _leased.UnionWith(free.Select(c => c.Id));
            return Task.FromResult(free.Count == 0 ? null : new ExtractTurn(run with { Id = free[0].RunId }, free));
        }
    }

    public Task ReleaseAsync(IReadOnlyList<long> checkpointIds, string owner, CheckpointRelease release, CancellationToken ct)
    {
        lock (_gate)
        {
            if (checkpointIds.Count > 0) _releases.Add((checkpointIds, release));
            _leased.ExceptWith(checkpointIds);
        }
        return Task.CompletedTask;
    }

    public Task<PageCommitResult> CommitPageAsync(ExtractedPage page, CancellationToken ct)
    {
        lock (_gate)
        {
            _pages.Add(page);
            var advanced = page.Outcome.Advances.Select(a => a.CheckpointId).ToList();
            _done.UnionWith(advanced);
            _leased.ExceptWith(advanced);
        }
        return Task.FromResult(new PageCommitResult(_pages.Count, []));
    }

    public Task<int> SettleTurnAsync(long runId, bool handedOn, CancellationToken ct) => Task.FromResult(0);

    public Task ClearLeasesAsync(long runId, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>One running run whose stages all have open work, so the coordinator decides nothing.</summary>
internal sealed class FakeRunStore(RunRecord run) : IRunStore
{
    public Task<RunRecord?> GetRunAsync(long runId, CancellationToken ct) => Task.FromResult<RunRecord?>(runId == run.Id ? run : null);

    public Task<JobStatus> GetStatusAsync(long jobId, CancellationToken ct) =>
        Task.FromResult(new JobStatus(OverallStatus.Running, run.Id, new Dictionary<string, StepStatus>(), null, null));

    public Task<T> LockRunAsync<T>(long runId, Func<IRunTransaction, CancellationToken, Task<T>> work, CancellationToken ct) => work(new Transaction(run), ct);

    public async Task<RunSnapshot?> ReadSnapshotAsync(long runId, CancellationToken ct) => runId == run.Id ? await new Transaction(run).ReadAsync(ct) : null;

    public Task<RunRecord> StartRunAsync(RunStart start, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(long jobId, int limit, CancellationToken ct) => throw new NotSupportedException();
    public Task<OpenWork> ListOpenWorkAsync(long runId, CancellationToken ct) => throw new NotSupportedException();

    private sealed class Transaction(RunRecord run) : IRunTransaction
    {
        public Task<RunSnapshot> ReadAsync(CancellationToken ct) => Task.FromResult(new RunSnapshot(run, GitHubPrJob.Steps
            .SelectMany(s => Enum.GetValues<Stage>().Select(g => new StageKey(s.Name, g)))
            .ToDictionary(k => k, _ => new StageWork(StageState.Running, Open: true, Waiting: false, Failed: false))));

        public Task<bool> MoveStageAsync(string step, Stage stage, IReadOnlyCollection<string> from, string to, CancellationToken ct) => Task.FromResult(false);
        public Task<IReadOnlyList<long>> ReleaseWaitingAsync(string step, CancellationToken ct) => Task.FromResult<IReadOnlyList<long>>([]);
        public Task SweepAsync(PipelineStep step, CancellationToken ct) => throw new NotSupportedException();
        public Task<bool> FinishAsync(bool succeeded, string? error, DateTimeOffset? syncedUpTo, CancellationToken ct) => throw new NotSupportedException();
        public Task<RunFailure?> FirstFailureAsync(CancellationToken ct) => throw new NotSupportedException();
        public Task ReopenAsync(CancellationToken ct) => throw new NotSupportedException();
    }
}

/// <summary>Records what the handler shows on the job (RATE_LIMITED with its resume time, RUNNING again).</summary>
internal sealed class FakeJobStore : IJobStore
{
    private readonly ConcurrentQueue<(string Overall, DateTimeOffset? ResumeAt)> _overall = new();

    public IReadOnlyList<(string Overall, DateTimeOffset? ResumeAt)> Overall => [.. _overall];

    public Task<bool> SetOverallAsync(long jobId, string overall, DateTimeOffset? resumeAt, string? error, CancellationToken ct)
    {
        _overall.Enqueue((overall, resumeAt));
        return Task.FromResult(true);
    }

    public Task<JobRecord> EnsureJobAsync(long tenantId, long integrationId, string jobName, CancellationToken ct) => throw new NotSupportedException();
    public Task<JobRecord?> GetJobAsync(long jobId, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<JobRecord>> ListAsync(long? tenantId, string jobName, CancellationToken ct) => throw new NotSupportedException();
    public Task<bool> UpdateSettingsAsync(long jobId, TimeSpan schedule, TimeSpan retry, DateTimeOffset? nextRun, CancellationToken ct) => throw new NotSupportedException();
    public Task<bool> SetActiveAsync(long jobId, bool active, DateTimeOffset? nextRun, CancellationToken ct) => throw new NotSupportedException();
    public Task ResetAsync(long jobId, DateTimeOffset nextRun, CancellationToken ct) => throw new NotSupportedException();
    public Task MarkStartFailedAsync(long jobId, string error, DateTimeOffset nextRun, CancellationToken ct) => throw new NotSupportedException();
}

internal sealed class FakeRepositoryStore : IRepositoryStore
{
    public Task DeactivateAsync(long tenantId, long repositoryId, CancellationToken ct) => Task.CompletedTask;
    public Task UpsertAsync(long tenantId, long integrationId, IReadOnlyList<RepositoryRow> rows, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<RepositoryRef>> ListActiveAsync(long tenantId, long integrationId, CancellationToken ct) => throw new NotSupportedException();
    public Task<IReadOnlyList<RepositorySummary>> ListAsync(long tenantId, CancellationToken ct) => throw new NotSupportedException();
}

internal sealed class FixedConnections(GitHubConnection connection) : IGitHubConnections
{
    public Task<GitHubConnection> ForIntegrationAsync(long tenantId, long integrationId, CancellationToken ct) => Task.FromResult(connection);
}

/// <summary>Keeps what the handler queues (its successors and the transform work).</summary>
internal sealed class RecordingQueue : IWorkQueue
{
    private readonly ConcurrentQueue<WorkMessage> _published = new();

    public IReadOnlyList<WorkMessage> Published => [.. _published];

    public Task PublishAsync(WorkMessage message, CancellationToken ct)
    {
        _published.Enqueue(message);
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<IDelivery> ConsumeAsync(string queue, CancellationToken ct) => throw new NotSupportedException();
}
