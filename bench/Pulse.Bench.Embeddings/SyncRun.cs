using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Pulse.Bench.Embeddings;

/// <summary>
/// One `pulse sync` as a user runs it: the real CLI in a process of its own, against a simulator served by this
/// bench, into a SQLite file; its peak RSS is the kernel's high-water mark (VmHWM), read until the process ends.
/// </summary>
internal static class SyncRun
{
    /// <param name="Completed">False when the run was stopped at its time limit (the figures are then of the part that ran).</param>
    /// <param name="CpuSeconds">User + system CPU time of the CLI: unlike wall time, barely moved by the machine's other users.</param>
    public sealed record Result(double Seconds, double CpuSeconds, long PeakRssMb, int ExitCode, bool Completed, double? EmbedStageSeconds, long Embeddings, long EmbedWorkItems, string StageStates);

    /// <param name="cli">The CLI's pulse.dll.</param>
    /// <param name="limit">Stop the CLI (SIGKILL) after this long; null: run to the end.</param>
    public static async Task<Result> RunAsync(string cli, Uri graphQLUrl, string owner, string databaseFile, bool embeddings, TimeSpan? limit, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { cli, "sync", "--github-url", graphQLUrl.ToString(), "--token", "sim-token",
                     "--owner", owner, "--database", "sqlite:" + databaseFile, "--quiet" })
        {
            start.ArgumentList.Add(a);
        }
        if (!embeddings)
        {
            start.ArgumentList.Add("--no-embeddings");
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        long peakKb = 0;
        double cpuSeconds = 0;
        // VmHWM only grows, so the last reading is the peak.
        bool completed = true;
        while (!process.HasExited)
        {
            peakKb = Math.Max(peakKb, HighWaterMarkKb(process.Id));
            cpuSeconds = Math.Max(cpuSeconds, CpuSecondsOf(process.Id));
            if (limit is { } l && watch.Elapsed > l)
            {
                completed = false;
                process.Kill();
                break;
            }
            await Task.Delay(50, ct);
        }
        await process.WaitForExitAsync(ct);
        double seconds = watch.Elapsed.TotalSeconds;
        if (completed && process.ExitCode != 0)
        {
            Console.Error.WriteLine($"pulse sync exited {process.ExitCode}: {await output}{await errors}");
        }

        await using var db = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly");
        long run = await db.ExecuteScalarAsync<long>("SELECT MAX(id) FROM etl_job_runs");
        var span = await db.QuerySingleAsync<(string? First, string? Last)>(
            "SELECT MIN(started_at), MAX(finished_at) FROM run_stages WHERE run_id = @run AND stage = 'embedding'", new { run });
        double? embedSeconds = span.First is null || span.Last is null ? null
            : (DateTimeOffset.Parse(span.Last, CultureInfo.InvariantCulture) - DateTimeOffset.Parse(span.First, CultureInfo.InvariantCulture)).TotalSeconds;
        long vectors = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM embeddings");
        long items = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM work_items WHERE run_id = @run AND stage = 'embedding'", new { run });
        string states = string.Join(", ", await db.QueryAsync<string>(
            "SELECT stage || ' ' || state || ' ×' || COUNT(*) FROM run_stages WHERE run_id = @run GROUP BY stage, state ORDER BY stage, state", new { run }));
        return new Result(seconds, cpuSeconds, peakKb / 1024, process.ExitCode, completed, embedSeconds, vectors, items, states);
    }

    /// <summary>utime + stime of /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).</summary>
    private static double CpuSecondsOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long HighWaterMarkKb(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;   // ended between the check and the read
        }
    }
}
