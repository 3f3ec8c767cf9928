using System.Diagnostics;

namespace Pulse.Bench;

/// <summary>
/// <c>pulse worker</c> processes (src/Pulse's Release build) consuming a distributed run's extract and transform queues, as the
/// distributed mode is deployed: each its own process, the run's key in PULSE_SECRET_KEY.
/// </summary>
public sealed class WorkerProcesses : IDisposable
{
    private readonly List<Process> _processes = [];

    private WorkerProcesses() { }

    public static async Task<WorkerProcesses> StartAsync(int count, int concurrency, string database, string queue, byte[] key, CancellationToken ct)
    {
        var pulse = Path.Combine(Bench.RepositoryRoot(), "src", "Pulse", "bin", "Release", "net10.0", "pulse.dll");
        if (!File.Exists(pulse)) throw new InvalidOperationException($"{pulse} is missing: build the solution first (dotnet build Pulse.slnx -c Release).");
        var workers = new WorkerProcesses();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var arg in new[] { pulse, "worker", "--database", database, "--queue", queue, "--stages", "extract,transform", "--concurrency", $"{concurrency}" })
                    start.ArgumentList.Add(arg);
                start.Environment["PULSE_SECRET_KEY"] = Convert.ToBase64String(key);
                var process = Process.Start(start)!;
                workers._processes.Add(process);
                var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
                process.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("pulse worker", StringComparison.Ordinal) == true) ready.TrySetResult(); };
                process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) errors.Enqueue(line); };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                // Started when it says so; a worker that refuses to start says why on stderr and exits.
                var exited = process.WaitForExitAsync(ct);
                if (await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(3), ct)) != ready.Task)
                    throw new InvalidOperationException($"pulse worker {i + 1} did not start: {string.Join(" | ", errors)}");
            }
            return workers;
        }
        catch
        {
            workers.Dispose();
            throw;
        }
    }

    /// <summary>User + system CPU time of the workers so far.</summary>
    public TimeSpan CpuTime() => _processes.Aggregate(TimeSpan.Zero, (sum, p) =>
    {
        p.Refresh();
        return p.HasExited ? sum : sum + p.TotalProcessorTime;
    });

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(30));
            process.Dispose();
        }
    }
}
