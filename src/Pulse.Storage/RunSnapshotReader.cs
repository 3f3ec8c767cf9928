using System.Data.Common;
using System.Globalization;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>
/// Reads what a run's state machine decides from (<see cref="RunSnapshot"/>): each stage's state and, per (step, stage), whether
/// work is open, waiting or failed. One statement, so it is one snapshot on both backends: no commit lands between two of its
/// answers, whether or not the reader holds the run's lock.
/// </summary>
internal static class RunSnapshotReader
{
    private static readonly StageKey[] Stages = [.. GitHubPrJob.Steps.SelectMany(s => Enum.GetValues<Stage>().Select(g => new StageKey(s.Name, g)))];

    /// <summary>What the statement asks, one EXISTS per (step, stage, kind of work), in this order.</summary>
    private static readonly (string Step, Stage Stage, string What, string Sql)[] Probes = BuildProbes();

    private static readonly string SnapshotSql = "SELECT " + string.Join(",\n  ", [
        .. Stages.Select((k, i) => $"(SELECT state FROM run_stages WHERE run_id = @runId AND step = '{k.Step}' AND stage = '{StageNames.Of(k.Stage)}') AS s{i}"),
        .. Probes.Select((p, i) => $"EXISTS ({p.Sql}) AS p{i}")]);

    public static async Task<RunSnapshot> ReadAsync(SqlDialect dialect, DbConnection c, DbTransaction? tx, RunRecord run)
    {
        var row = (IDictionary<string, object?>)await c.QuerySingleAsync(dialect.ByIndex(SnapshotSql), new { runId = run.Id }, tx);
        bool Probe(StageKey key, string what) =>
            Convert.ToBoolean(row[$"p{Array.FindIndex(Probes, p => p.Step == key.Step && p.Stage == key.Stage && p.What == what)}"], CultureInfo.InvariantCulture);
        var stages = Stages.Select((key, i) => (key, work: new StageWork((string?)row[$"s{i}"] ?? StageState.Idle, Probe(key, "open"),
            key.Stage == Stage.Transform && Probe(key, "waiting"), Probe(key, "failed"))));
        return new RunSnapshot(run, stages.ToDictionary(s => s.key, s => s.work));
    }

    private static (string, Stage, string, string)[] BuildProbes()
    {
        var probes = new List<(string, Stage, string, string)>();
        foreach (var step in GitHubPrJob.Steps)
        {
            var kinds = string.Join(", ", Enum.GetValues<FetchKind>().Where(k => FetchKinds.StepOf(k) == step).Select(k => $"'{FetchKinds.Name(k)}'"));
            string Checkpoints(string status) => $"SELECT 1 FROM checkpoints WHERE run_id = @runId AND status = '{status}' AND kind IN ({kinds})";
            string Items(string stage, string state) => $"SELECT 1 FROM work_items WHERE run_id = @runId AND step = '{step.Name}' AND stage = '{stage}' AND state = '{state}'";
            probes.Add((step.Name, Stage.Extract, "open", Checkpoints("pending")));
            probes.Add((step.Name, Stage.Extract, "failed", Checkpoints("failed")));
            probes.Add((step.Name, Stage.Transform, "waiting", Items("transform", "waiting")));
            probes.Add((step.Name, Stage.Transform, "open", $"{Items("transform", "waiting")} UNION ALL {Items("transform", "pending")}"));
            probes.Add((step.Name, Stage.Transform, "failed", Items("transform", "failed")));
            probes.Add((step.Name, Stage.Embed, "open", Items("embedding", "pending")));
            probes.Add((step.Name, Stage.Embed, "failed", Items("embedding", "failed")));
        }
        return [.. probes];
    }
}
