using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Pulse.Bench;

/// <summary>A simulator in a child process of its own, so the CPU time of Pulse and of the simulator can be told apart.</summary>
public sealed class SimulatorProcess : IDisposable
{
    private readonly Process _process;

    private SimulatorProcess(Process process, Uri graphQLUrl) => (_process, GraphQLUrl) = (process, graphQLUrl);

    public Uri GraphQLUrl { get; }

    public static async Task<SimulatorProcess> StartAsync(string spec)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        start.ArgumentList.Add("sim-child");
        // A tracer attached to this process (dotnet-trace) must not be inherited: the child would wait for it.
        start.Environment.Remove("DOTNET_DiagnosticPorts");
        start.ArgumentList.Add(spec);
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The simulator process ended before it served.");
        return new SimulatorProcess(process, new Uri(line.Trim()));
    }

    /// <summary>User + system CPU time of the child so far, from /proc (clock ticks of 1/100 s).</summary>
    public TimeSpan CpuTime()
    {
        var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill();
        _process.Dispose();
    }
}
