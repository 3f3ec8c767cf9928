using System.Diagnostics;
using static Pulse.EndToEnd.Tests.Distributed.PrivateServerTools;

namespace Pulse.EndToEnd.Tests.Distributed;

/// <summary>
/// A RabbitMQ node of one test's own (its own node name, AMQP and distribution ports, mnesia and
/// logs under a temp dir, no management plugin), started the way scripts/services.sh starts the
/// shared one, so the test may stop and restart it. The node registers with the shared epmd; that is harmless.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    private static int _nodes;
    private readonly string _root;
    private readonly string _node;
    private readonly int _port;
    private readonly Dictionary<string, string> _environment;

    private PrivateRabbitMq(string root, string node, int port, int distributionPort)
    {
        (_root, _node, _port) = (root, node, port);
        _environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = node,
            ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(root, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(root, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(root, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(root, "node.pid"),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            // Distribution on loopback only. Not inet_dist_use_interface: services.sh finds the shared node's VM by that argument.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_listen_options [{ip,{127,0,0,1}}]",
        };
    }

    /// <summary>amqp://guest:guest@127.0.0.1:PORT/ (guest may log in from loopback).</summary>
    public string Uri => $"amqp://guest:guest@127.0.0.1:{_port}/";

    public static async Task<PrivateRabbitMq> StartAsync()
    {
        RequireRoot();
        var root = Directory.CreateTempSubdirectory("pulse-private-rmq-").FullName;
        var node = $"pulse-test-{Environment.ProcessId}-{Interlocked.Increment(ref _nodes)}@localhost";
        var server = new PrivateRabbitMq(root, node, FreePort(), FreePort());
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "mnesia"));
            Directory.CreateDirectory(Path.Combine(root, "log"));
            await File.WriteAllTextAsync(Path.Combine(root, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{server._port}\n");
            await File.WriteAllTextAsync(Path.Combine(root, "enabled_plugins"), "[].\n");
            // rabbitmq-server drops to the rabbitmq user, which must own its state.
            await RunCheckedAsync("chown", ["-R", "rabbitmq:rabbitmq", root], null, TimeSpan.FromSeconds(30));
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Boots the node (again) on the same mnesia dir; returns once it accepts AMQP connections.</summary>
    public async Task StartAgainAsync()
    {
        await RunCheckedAsync("rabbitmq-server", ["-detached"], _environment, TimeSpan.FromMinutes(1));
        // ping answers before the app has booted (recovering durable queues); await_startup waits for that.
        Assert.True(await WaitForAsync(async () => (await CtlAsync("rabbitmq-diagnostics", "ping", TimeSpan.FromSeconds(20))).Code == 0, TimeSpan.FromMinutes(4)),
            $"the private RabbitMQ node {_node} did not answer ping; log: {Log()}");
        var (code, output) = await CtlAsync("rabbitmqctl", "await_startup", TimeSpan.FromMinutes(3), "--timeout", "150");
        Assert.True(code == 0, $"the private RabbitMQ node {_node} did not finish booting: {output}; log: {Log()}");
        Assert.True(await WaitForAsync(() => AcceptsAsync(_port), TimeSpan.FromMinutes(1)), $"the private RabbitMQ node {_node} does not listen on {_port}");
    }

    /// <summary>An orderly stop (connections closed by the broker, as in a restart); returns once the VM is gone.</summary>
    public async Task StopAsync()
    {
        var (code, output) = await CtlAsync("rabbitmqctl", "shutdown", TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"stopping the private RabbitMQ node {_node} failed: {output}");
        Assert.True(await WaitForAsync(async () => !await AcceptsAsync(_port), TimeSpan.FromSeconds(30)), $"the private RabbitMQ node {_node} still listens on {_port}");
    }

    /// <summary>SIGKILL of the broker's VM: no connection is closed, nothing is flushed beyond what was confirmed.</summary>
    public async Task KillAsync()
    {
        Assert.True(KillByPidFile(), $"the private RabbitMQ node {_node} has no live VM to kill (pid file {Path.Combine(_root, "node.pid")})");
        Assert.True(await WaitForAsync(async () => !await AcceptsAsync(_port), TimeSpan.FromSeconds(30)), $"the private RabbitMQ node {_node} still listens on {_port}");
    }

    private Task<(int Code, string Output)> CtlAsync(string tool, string command, TimeSpan timeout, params string[] more) =>
        RunAsync(tool, ["-q", "-n", _node, command, .. more], _environment, timeout);

    public string Log()
    {
        var files = Directory.Exists(Path.Combine(_root, "log")) ? Directory.GetFiles(Path.Combine(_root, "log"), "*.log") : [];
        return files.Length == 0 ? "(no log)" : string.Join('\n', files.SelectMany(f => File.ReadLines(f).TakeLast(20)));
    }

    public async ValueTask DisposeAsync()
    {
        if ((await CtlAsync("rabbitmqctl", "shutdown", TimeSpan.FromSeconds(60))).Code != 0)
            KillByPidFile();   // a node stuck booting does not answer shutdown
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private bool KillByPidFile()
    {
        var pidFile = Path.Combine(_root, "node.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) return false;
        try
        {
            using var vm = Process.GetProcessById(pid);
            vm.Kill(entireProcessTree: true);
            vm.WaitForExit(TimeSpan.FromSeconds(30));
            return true;
        }
        catch (ArgumentException)
        {
            return false;   // already gone
        }
    }
}
