using System.Diagnostics;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Bench;

/// <summary>Diagnoses, not standard figures: where a full sync's time goes.</summary>
public static class Diagnosis
{
    /// <summary>The full sync's time and stage timeline with 2, 4 and 1 extraction workers.</summary>
    public static async Task<int> WorkersAsync(BenchSet set)
    {
        await using var sim = await StartAsync(set);
        foreach (var workers in new[] { 2, 4, 1 })
        {
            await using var pulse = new PulseRun();
            var load = Bench.LoadAverage();
            var (result, elapsed) = await pulse.SyncAsync(sim.GraphQLUrl, Bench.Owner, null, CancellationToken.None, workers);
            var rows = await pulse.RowsAsync();
            Console.WriteLine($"extraction workers {workers}: {elapsed.TotalSeconds:F1} s, {rows.Prs / elapsed.TotalSeconds:F0} PRs/s, ok {result.Succeeded}, load {load} → {Bench.LoadAverage()}");
            foreach (var line in await pulse.StageTimelineAsync()) Console.WriteLine("  " + line);
        }
        return 0;
    }

    /// <summary>
    /// <paramref name="runs"/> full syncs (the first includes JIT warm-up), each with its wall time, the process's
    /// CPU time, and the time Pulse waited on the simulator (which runs in this process and shares its cores).
    /// </summary>
    public static async Task<int> SyncAsync(BenchSet set, int runs, bool simulatorProcess)
    {
        await using var sim = simulatorProcess ? null : await StartAsync(set);
        using var child = simulatorProcess ? await SimulatorProcess.StartAsync(set.Spec) : null;
        var graphQLUrl = sim?.GraphQLUrl ?? child!.GraphQLUrl;
        using var control = new SimControl(new Uri(graphQLUrl, "/"));
        var self = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            await using var pulse = new PulseRun();
            await control.ResetAsync(CancellationToken.None);
            using var timing = new HttpTiming();
            var load = Bench.LoadAverage();
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var simulatorCpu = child?.CpuTime() ?? TimeSpan.Zero;
            var gcPause = GC.GetTotalPauseDuration();
            var gc = GcCounts.Now();
            var (result, elapsed) = await pulse.SyncAsync(graphQLUrl, Bench.Owner, null, CancellationToken.None, handler: timing);
            self.Refresh();
            var rows = await pulse.RowsAsync();
            Console.WriteLine($"run {i + 1}: {elapsed.TotalSeconds:F2} s, {rows.Prs / elapsed.TotalSeconds:F0} PRs/s, {rows.Rows / elapsed.TotalSeconds:F0} rows/s, ok {result.Succeeded}, load {load} → {Bench.LoadAverage()}");
            Console.WriteLine($"  process CPU {(self.TotalProcessorTime - cpu).TotalSeconds:F2} s (of {elapsed.TotalSeconds * Environment.ProcessorCount:F2} s on {Environment.ProcessorCount} cores); GC pauses {(GC.GetTotalPauseDuration() - gcPause).TotalSeconds:F2} s; {GcCounts.Now().Since(gc)}");
            if (child is not null) Console.WriteLine($"  simulator process CPU {(child.CpuTime() - simulatorCpu).TotalSeconds:F2} s (this process is Pulse alone)");
            Console.WriteLine($"  {timing.Requests} requests: {timing.RequestTime.TotalSeconds:F2} s summed, {timing.BusyTime.TotalSeconds:F2} s of wall time with one in flight (simulator + loopback)");
            var charged = await control.StatsAsync(CancellationToken.None);
            Console.WriteLine($"  {charged.Points} points charged for {charged.Requests} requests; stored {rows.Totals()}");
            foreach (var line in await pulse.StageTimelineAsync()) Console.WriteLine("  " + line);
        }
        return 0;
    }

    /// <summary>
    /// <paramref name="runs"/> rounds of an embedded full sync (SQLite, in-process queue) and then a distributed one (PostgreSQL +
    /// RabbitMQ; the workers in <paramref name="processes"/> `pulse worker` processes, or in this process when 0), each with its wall time, this process's CPU time and the stage timeline, and for the
    /// distributed one where it waited (<see cref="CallTimes"/>; <paramref name="calls"/> lines). The embedded sync in the same
    /// round gives a figure relative to the machine's load at that moment.
    /// </summary>
    public static async Task<int> DistributedAsync(BenchSet set, int runs, int workers, int calls, int processes)
    {
        await using var sim = await StartAsync(set);
        for (var i = 0; i < runs; i++)
        {
            double embedded;
            await using (var run = new PulseRun())
                embedded = await MeasureAsync($"round {i + 1} embedded", () => run.SyncAsync(sim.GraphQLUrl, Bench.Owner, null, CancellationToken.None), run.RowsAsync, null);
            await using var distributed = new DistributedRun();
            using var times = calls > 0 ? new CallTimes() : null;
            var where = processes > 0 ? $"{processes} pulse worker processes × {workers} consumers per stage" : $"{workers} consumers per stage in this process";
            await MeasureAsync($"round {i + 1} distributed ({where})", () => distributed.SyncAsync(sim.GraphQLUrl, Bench.Owner, workers, CancellationToken.None, processes),
                distributed.RowsAsync, embedded);
            if (processes > 0) Console.WriteLine($"  pulse worker processes' CPU {distributed.WorkerCpu.TotalSeconds:F2} s");
            Console.WriteLine($"  PostgreSQL CPU for this database {distributed.DatabaseCpu.TotalSeconds:F2} s");
            foreach (var line in await distributed.StageTimelineAsync()) Console.WriteLine("  " + line);
            if (times is not null)
                foreach (var line in times.Report(calls)) Console.WriteLine("  " + line);
        }
        return 0;
    }

    /// <summary>One full sync: its PRs/s (returned), rows, wall and CPU time and the load around it, and its ratio to <paramref name="baseline"/> PRs/s.</summary>
    private static async Task<double> MeasureAsync(string name, Func<Task<(Pulse.Core.Sync.SyncResult Result, TimeSpan Elapsed)>> sync, Func<Task<RowCounts>> counts,
        double? baseline)
    {
        var self = Process.GetCurrentProcess();
        var load = Bench.LoadAverage();
        var cpu = self.TotalProcessorTime;
        var (result, elapsed) = await sync();
        self.Refresh();
        var rows = await counts();
        var prsPerSecond = rows.Prs / elapsed.TotalSeconds;
        var ratio = baseline is { } b ? $" ({prsPerSecond / b:F2} × embedded)" : "";
        Console.WriteLine($"{name}: {elapsed.TotalSeconds:F2} s, {prsPerSecond:F0} PRs/s{ratio}, complete {rows.Prs} PRs / {rows.Rows} rows, ok {result.Succeeded} {result.Error}, " +
            $"load {load} → {Bench.LoadAverage()}");
        Console.WriteLine($"  process CPU {(self.TotalProcessorTime - cpu).TotalSeconds:F2} s (of {elapsed.TotalSeconds * Environment.ProcessorCount:F2} s on {Environment.ProcessorCount} cores)");
        return prsPerSecond;
    }

    /// <summary>The child's side of <see cref="SimulatorProcess"/>: serves until its standard input closes.</summary>
    public static async Task<int> ServeSimulatorAsync(string spec)
    {
        await using var sim = await StartAsync(spec);
        Console.WriteLine(sim.GraphQLUrl);
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private static Task<GitHubSimulatorServer> StartAsync(BenchSet set) => StartAsync(set.Spec);

    private static Task<GitHubSimulatorServer> StartAsync(string spec) => GitHubSimulatorServer.StartAsync(new SimulatorOptions
    {
        Synthetic = SyntheticSpec.Parse(spec), ProcessingTimeScale = 0, PointsPerHour = 100_000_000, RequestsPerMinutePerToken = 100_000_000,
        CpuBudget = TimeSpan.FromDays(1), MaxConcurrentRequestsPerToken = 1_000,
    }, CancellationToken.None);
}
