using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>What the private server instances share: root check, free ports, running a tool to its end.</summary>
internal static class PrivateServerTools
{
    /// <summary>initdb and rabbitmq-server switch to their service users, which only root may do.</summary>
    public static void RequireRoot()
    {
        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
            Assert.Fail("Restart tests start private PostgreSQL and RabbitMQ instances (runuser, rabbitmq-server) and must run as root, as CI does.");
    }

    /// <summary>A loopback port nothing listens on right now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Runs a tool to its end and returns its exit code and output; never throws on a non-zero exit.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} did not finish within {timeout}: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task RunCheckedAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var (code, output) = await RunAsync(file, args, environment, timeout);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)} exited {code}: {output}");
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow >= until) return false;
            await Task.Delay(200);
        }
        return true;
    }
}

/// <summary>Tests that boot private servers take turns: a RabbitMQ node and a PostgreSQL cluster each are heavy on a 2-core CI machine.</summary>
[CollectionDefinition(Name)]
public sealed class PrivateServersCollection
{
    public const string Name = "private servers";
}
