using Dapper;
using Pulse.Core.Jobs;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalWorkerRegistry(RelationalDatabase db) : IWorkerRegistry
{
    /// <summary>Rows older than this are deleted when the registry is read: dead workers and old refusals.</summary>
    private static readonly TimeSpan Kept = TimeSpan.FromDays(1);

    public Task BeatAsync(WorkerPresence worker, CancellationToken ct) => UpsertAsync(worker, ct);

    public Task RefuseAsync(WorkerPresence worker, CancellationToken ct) => UpsertAsync(worker, ct);

    private Task UpsertAsync(WorkerPresence w, CancellationToken ct) => db.WriteAsync((c, tx) => c.ExecuteAsync("""
        INSERT INTO worker_presence (worker_id, host, process_id, stages, seen_at, refusal) VALUES (@WorkerId, @Host, @ProcessId, @stages, @SeenAt, @Refusal)
        ON CONFLICT (worker_id) DO UPDATE SET stages = excluded.stages, seen_at = excluded.seen_at, refusal = excluded.refusal
        """, new { w.WorkerId, w.Host, w.ProcessId, stages = Names(w.Stages), w.SeenAt, w.Refusal }, tx), ct);

    public Task LeaveAsync(string workerId, CancellationToken ct) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync("DELETE FROM worker_presence WHERE worker_id = @workerId", new { workerId }, tx), ct);

    public Task<IReadOnlyList<WorkerPresence>> ListAsync(DateTimeOffset since, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("DELETE FROM worker_presence WHERE seen_at < @old", new { old = since - Kept }, tx);
        var rows = await c.QueryAsync<(string WorkerId, string Host, long ProcessId, string Stages, object SeenAt, string? Refusal)>(
            "SELECT worker_id, host, process_id, stages, seen_at, refusal FROM worker_presence WHERE seen_at >= @since", new { since }, tx);
        return (IReadOnlyList<WorkerPresence>)rows.Select(r => new WorkerPresence(r.WorkerId, r.Host, (int)r.ProcessId, Parse(r.Stages),
            DbValues.Time(r.SeenAt), r.Refusal)).ToList();
    }, ct);

    private static string Names(IReadOnlySet<Stage> stages) => string.Join(",", stages.Select(s => s.ToString().ToLowerInvariant()));

    private static HashSet<Stage> Parse(string names) =>
        names.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => Enum.Parse<Stage>(n, ignoreCase: true)).ToHashSet();
}
