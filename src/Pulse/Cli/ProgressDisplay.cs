using System.Globalization;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pulse.Cli;

/// <summary>
/// A run's progress as the CLI shows it (<c>pulse sync</c>, <c>pulse demo</c>): live bars per step in a terminal, one bar for
/// the rows of each step and one for its texts being embedded (done/total, rate, time left); plain lines when the output is
/// redirected or not the console (<see cref="ProgressLine"/>).
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, showing each status it reports; nothing is shown when <paramref name="quiet"/>.</summary>
    public static async Task<T> RunAsync<T>(TextWriter output, bool quiet, Func<Action<JobStatus, GitHubConnection?>, Task<T>> work)
    {
        var started = DateTimeOffset.UtcNow;
        if (quiet) return await work((_, _) => { });
        if (!Live(output))
        {
            var meter = new EmbedMeter();
            return await work((status, connection) => output.WriteLine(ProgressLine.Format(status, connection, DateTimeOffset.UtcNow - started, meter)));
        }
        T result = default!;
        await AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new CountColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                void Show(string key, string label, long done, long total)
                {
                    if (total == 0) return;
                    if (!bars.TryGetValue(key, out var bar)) bars[key] = bar = context.AddTask(label, autoStart: true, maxValue: total);
                    bar.MaxValue = total;
                    bar.Value = done;
                }
                result = await work((status, _) =>
                {
                    lock (bars)
                    {
                        foreach (var step in status.Steps.Values.OrderBy(s => s.Order))
                        {
                            Show(step.DisplayName, $"{step.DisplayName}", step.Progress.Done, step.Progress.Total);
                            Show("embed " + step.DisplayName, $"  embed {step.DisplayName}", step.EmbedProgress.Done, step.EmbedProgress.Total);
                        }
                    }
                });
            });
        return result;
    }

    /// <summary>True when the bars are drawn live (the caller may quiet other console output meanwhile).</summary>
    public static bool Live(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>done/total and the rate Spectre measures over its recent samples.</summary>
    private sealed class CountColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Value:0}/{task.MaxValue:0}" + (task.Speed is { } speed and > 0 ? $" {speed:0.0}/s" : ""));
    }
}

/// <summary>The embed stage's rate per step, from the first progress seen: what a plain line's ETA divides by.</summary>
public sealed class EmbedMeter
{
    private readonly Dictionary<string, (DateTimeOffset At, long Done)> _first = [];

    /// <summary>Texts per second since this step's embedding was first seen under way, or null before a second sample.</summary>
    public double? Rate(string step, long done, DateTimeOffset now)
    {
        if (!_first.TryGetValue(step, out var first))
        {
            _first[step] = (now, done);
            return null;
        }
        var seconds = (now - first.At).TotalSeconds;
        return seconds > 0 && done > first.Done ? (done - first.Done) / seconds : null;
    }
}

/// <summary>One line of progress: status, per-step done/total, points, ETA, and the embed stage's progress per step.</summary>
public static class ProgressLine
{
    public static string Format(JobStatus status, GitHubConnection? connection, TimeSpan elapsed, EmbedMeter? meter = null)
    {
        var ordered = status.Steps.Values.OrderBy(s => s.Order).ToList();
        var steps = string.Join(" | ", ordered.Select(s =>
            $"{s.DisplayName} {s.Progress.Done}/{s.Progress.Total} [{Short(s.Extraction)}{Short(s.Transform)}{Short(s.Embedding)}]"));
        var done = status.Steps.Values.Sum(s => s.Progress.Done);
        var total = status.Steps.Values.Sum(s => s.Progress.Total);
        var eta = done > 0 && total > done ? $" ETA {TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done):mm\\:ss}" : "";
        var points = Points(connection);
        var paused = status.RateLimitResumeAt is { } at ? $" | paused until {at:HH:mm:ss}" : "";
        // A failed run names its failed items and the first cause (see RunCoordinator).
        var failed = status.Overall == OverallStatus.Failed && status.Error is { } error ? $" | {error}" : "";
        return $"[{elapsed:mm\\:ss}] {status.Overall} {steps}{points}{paused}{eta}{Embedding(ordered, meter)}{failed}";
    }

    /// <summary>Points of every account summed; Enterprise Server with rate limiting off has none to show, and says so.</summary>
    private static string Points(GitHubConnection? connection) =>
        connection is null ? ""
        : connection.Combined is { } rate ? $" | points used {rate.Used}, left {rate.Remaining}{Accounts(connection)}"
        : connection.RateLimitNotEnforced ? " | rate limit: not enforced"
        : "";

    private static string Accounts(GitHubConnection connection) =>
        connection.Accounts.Count < 2 ? ""
        : " (" + string.Join(", ", connection.Accounts.Select(a => a.IsActive ? $"{a.Name} {a.Budget.Current?.Remaining.ToString(CultureInfo.InvariantCulture) ?? "?"}" : $"{a.Name} revoked")) + ")";

    /// <summary>" | embed Commits 120/300 8.1/s ETA 00:22, …" for each step with texts to embed.</summary>
    private static string Embedding(List<StepStatus> steps, EmbedMeter? meter)
    {
        var now = DateTimeOffset.UtcNow;
        var parts = steps.Where(s => s.EmbedProgress.Total > 0).Select(s =>
        {
            var (done, total) = (s.EmbedProgress.Done, s.EmbedProgress.Total);
            var perSecond = done < total ? meter?.Rate(s.DisplayName, done, now) : null;
            var rate = perSecond is { } r ? $" {r:0.0}/s ETA {TimeSpan.FromSeconds((total - done) / r):mm\\:ss}" : "";
            return $"{s.DisplayName} {done}/{total}{rate}";
        }).ToList();
        return parts.Count == 0 ? "" : " | embed " + string.Join(", ", parts);
    }

    // Extract / transform / embed: . idle, > running, + finished, x failed.
    private static char Short(string state) => state switch
    {
        StageState.Running => '>',
        StageState.Finished => '+',
        StageState.Failed => 'x',
        _ => '.',
    };
}
