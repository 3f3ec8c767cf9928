using System.Diagnostics;
using System.Text;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>The built CLI (<c>.build/pulse/pulse.dll</c>, built by the <c>./pulse</c> front door) run as a child process, output kept.</summary>
public sealed class PulseCliProcess : IAsyncDisposable
{
    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? _dll;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PulseCliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<PulseCliProcess> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(await CliAsync(ct));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        return new PulseCliProcess(Process.Start(start)!);
    }

    /// <summary>SIGKILL: no shutdown code runs, in-flight messages and transactions are abandoned.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"pulse did not exit within {timeout}; output:\n{Output}");
        }
        return _process.ExitCode;
    }

    private static async Task<string> CliAsync(CancellationToken ct)
    {
        await BuildGate.WaitAsync(ct);
        try
        {
            if (_dll is not null) return _dll;
            var root = RepositoryRoot();
            // The front door builds .build/pulse when a source changed, then runs the verb.
            using var build = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(root, "pulse"), "--help" }, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = build.StandardError.ReadToEndAsync(ct);
            await build.StandardOutput.ReadToEndAsync(ct);
            await build.WaitForExitAsync(ct);
            Assert.True(build.ExitCode == 0, $"building the pulse CLI failed: {await output}");
            return _dll = Path.Combine(root, ".build", "pulse", "pulse.dll");
        }
        finally
        {
            BuildGate.Release();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pulse.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Pulse.slnx) is not above the test's output.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
