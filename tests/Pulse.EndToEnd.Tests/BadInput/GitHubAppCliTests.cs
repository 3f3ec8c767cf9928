using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Pulse.EndToEnd.Tests.Distributed;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.BadInput;

/// <summary>
/// <c>pulse sync --app-id … --app-key key.pem --installation-id …</c> against <c>pulse simulate --app …</c>, two processes over
/// HTTP: a complete sync, and each bad sign-in failing with its exact line.
/// </summary>
public sealed class GitHubAppCliTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _directory = Directory.CreateTempSubdirectory("pulse-app-cli-").FullName;
    private readonly int _port = FreePort();
    private PulseCliProcess _simulator = null!;

    private string KeyFile => Path.Combine(_directory, "key.pem");
    private string PublicKeyFile => Path.Combine(_directory, "public.pem");
    private string Url => $"http://127.0.0.1:{_port}/graphql";

    public async ValueTask InitializeAsync()
    {
        using var rsa = RSA.Create(2048);
        await File.WriteAllTextAsync(KeyFile, rsa.ExportRSAPrivateKeyPem(), Ct);
        await File.WriteAllTextAsync(PublicKeyFile, rsa.ExportSubjectPublicKeyInfoPem(), Ct);
        _simulator = await PulseCliProcess.StartAsync(["simulate", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--synthetic", "repos=2,prs=20,seed=5", "--sleep-scale", "0", "--app", $"314:{PublicKeyFile}:2718"], new Dictionary<string, string>(), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        // "control:" ends the simulator's start-up lines, so the App line above it has been printed by then.
        while (!_simulator.Output.Contains("control:", StringComparison.Ordinal))
        {
            Assert.False(_simulator.HasExited || DateTime.UtcNow > deadline, $"the simulator did not start:\n{_simulator.Output}");
            await Task.Delay(100, Ct);
        }
    }

    private Task<(int Code, string Output)> SyncAsync(string appId, string keyFile, string installation) =>
        CliBadInputTests.RunAsync(["sync", "--github-url", Url, "--owner", SyntheticDataset.OrganizationLogin, "--app-id", appId, "--app-key", keyFile,
            "--installation-id", installation, "--no-embeddings", "--quiet", "--database", $"sqlite:{Path.Combine(_directory, $"{Guid.NewGuid():N}.db")}"]);

    [Fact]
    public async Task Sync_GitHubApp_SyncsCompletely()
    {
        Assert.Contains("installation 2718, 5100 points/h", _simulator.Output, StringComparison.Ordinal);   // 5,000 + 50 × 2 repositories

        var (code, output) = await SyncAsync("314", KeyFile, "2718");

        Assert.True(code == 0, output);
        Assert.Matches(@"pulse sync: finished run \d+ \(\d+ repositories\)", output);
    }

    [Fact]
    public async Task Sync_WrongAppId_FailsWithOneLine()
    {
        var (code, output) = await SyncAsync("315", KeyFile, "2718");

        Assert.Equal(1, code);
        Assert.Contains("pulse sync: failed: GitHub refused the JWT of GitHub App 315 (401 A JSON web token could not be decoded): the App id does not match the private key, or the key was revoked.",
            Lines(output));
    }

    [Fact]
    public async Task Sync_UnknownInstallation_FailsWithOneLine()
    {
        var (code, output) = await SyncAsync("314", KeyFile, "2719");

        Assert.Equal(1, code);
        Assert.Contains("pulse sync: failed: GitHub App 314 has no installation 2719 (404 Not Found): check the installation id.", Lines(output));
    }

    [Fact]
    public async Task Sync_BadPem_FailsAtStartWithOneLine()
    {
        var bad = Path.Combine(_directory, "bad.pem");
        await File.WriteAllTextAsync(bad, "-----BEGIN RSA PRIVATE KEY-----\nnot base64 at all\n-----END RSA PRIVATE KEY-----\n", Ct);

        var (code, output) = await SyncAsync("314", bad, "2718");

        Assert.Equal(2, code);
        Assert.Contains("pulse sync: --app-key bad.pem: The GitHub App private key is not a PEM RSA private key (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----, as GitHub issues it).",
            Lines(output));
        Assert.DoesNotContain("not base64", output, StringComparison.Ordinal);
    }

    private static string[] Lines(string output) => [.. output.Split('\n').Select(l => l.TrimEnd('\r'))];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
