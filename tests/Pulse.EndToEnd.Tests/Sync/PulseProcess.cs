using System.Diagnostics;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>The built <c>pulse</c> CLI as a child process: what a crash test kills.</summary>
public static class PulseProcess
{
    public static string Dll
    {
        get
        {
            // Same configuration as this test assembly (bin/Release/net10.0 or bin/Debug/net10.0).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var dll = Path.Combine(RepositoryRoot.Path, "src", "Pulse", "bin", configuration, "net10.0", "pulse.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The pulse CLI is not built at {dll}.");
        }
    }

    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
