using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Core.Sync;

namespace Pulse.Core.Tests.Sync;

/// <summary>Issue #11: a distributed run that no worker can serve fails naming why, at once for a refusal, else after the wait.</summary>
public sealed class WorkerRosterTests
{
    private static readonly HashSet<Stage> ExtractTransform = [Stage.Extract, Stage.Transform];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeRegistry _registry = new();
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private WorkerRoster Roster() => new(_registry, Options.Create(new PipelineOptions { Stages = new HashSet<Stage>(), WorkerWait = TimeSpan.FromSeconds(30) }), _time);

    private static RunRecord Run(bool embeddings = false) => new(7, 1, 2, 3, RunStatus.Running, default, null, null, embeddings, null);

    [Fact]
    public async Task CheckAsync_NoWorkerAtAll_WaitsThenFailsNamingTheStages()
    {
        var since = _time.GetUtcNow();

        Assert.Equal(WorkerCheck.Waiting, await Roster().CheckAsync(Run(), since, since, Ct));
        _time.Advance(TimeSpan.FromSeconds(30));
        var check = await Roster().CheckAsync(Run(), since, since, Ct);

        Assert.Equal("no live pulse worker runs the extract and transform stages (waited 30 s): start `pulse worker --database ... --queue ...` "
            + "with the same PULSE_SECRET_KEY", check.Failure);
    }

    [Fact]
    public async Task CheckAsync_LiveWorkersForEveryNeededStage_Served_AnEmbeddingRunStillMissesTheEmbedStage()
    {
        _registry.Rows.Add(new WorkerPresence("a", "host-a", 11, ExtractTransform, _time.GetUtcNow(), null));
        var since = _time.GetUtcNow() - TimeSpan.FromMinutes(5);

        Assert.Equal(WorkerCheck.Serving, await Roster().CheckAsync(Run(), since, since, Ct));
        Assert.Equal("no live pulse worker runs the embed stage (waited 30 s): start `pulse worker --database ... --queue ...` with the same PULSE_SECRET_KEY",
            (await Roster().CheckAsync(Run(embeddings: true), since, since, Ct)).Failure);
    }

    [Fact]
    public async Task CheckAsync_WorkerStoppedBeating_CountsGoneButTheRunWaitsFromWhenItWasLastServed()
    {
        _registry.Rows.Add(new WorkerPresence("a", "host-a", 11, ExtractTransform, _time.GetUtcNow(), null));
        var since = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(16));   // three beats missed (a database restart, a killed worker)
        var lastServed = _time.GetUtcNow() - TimeSpan.FromSeconds(1);

        Assert.Equal(WorkerCheck.Waiting, await Roster().CheckAsync(Run(), since, lastServed, Ct));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull((await Roster().CheckAsync(Run(), since, lastServed, Ct)).Failure);
    }

    [Fact]
    public async Task CheckAsync_AWorkerRefused_FailsAtOnceWithItsReason()
    {
        var since = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(2));
        _registry.Rows.Add(new WorkerPresence("b", "host-b", 12, ExtractTransform, _time.GetUtcNow(), "PULSE_SECRET_KEY does not match the key this database was set up with"));

        var check = await Roster().CheckAsync(Run(), since, since, Ct);

        Assert.Equal("no live pulse worker runs the extract and transform stages: the worker on host-b (pid 12) refused to serve: "
            + "PULSE_SECRET_KEY does not match the key this database was set up with", check.Failure);
    }

    [Fact]
    public async Task CheckAsync_ThisProcessRunsTheStages_ServedWithoutAskingTheRegistry()
    {
        var roster = new WorkerRoster(_registry, Options.Create(new PipelineOptions()), _time);

        Assert.Equal(WorkerCheck.Serving, await roster.CheckAsync(Run(embeddings: true), _time.GetUtcNow(), _time.GetUtcNow(), Ct));
        Assert.Equal(0, _registry.Reads);
    }

    private sealed class FakeRegistry : IWorkerRegistry
    {
        public List<WorkerPresence> Rows { get; } = [];
        public int Reads { get; private set; }

        public Task BeatAsync(WorkerPresence worker, CancellationToken ct) => throw new NotSupportedException();

        public Task RefuseAsync(WorkerPresence worker, CancellationToken ct) => throw new NotSupportedException();

        public Task LeaveAsync(string workerId, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<WorkerPresence>> ListAsync(DateTimeOffset since, CancellationToken ct)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<WorkerPresence>>(Rows.Where(r => r.SeenAt >= since).ToList());
        }
    }
}
