using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Pulse.GitHubSimulator.Tests.TestSupport;

namespace Pulse.GitHubSimulator.Tests.Http;

/// <summary>Starts the real <c>pulse simulate</c> executable and talks to it over HTTP.</summary>
public sealed class SimulateCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string PulseDll
    {
        get
        {
            // The test binaries sit in tests/<project>/bin/<Configuration>/<tfm>/; pulse is built beside it under src/Pulse.
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(RepositoryPaths.Root, "src", "Pulse", "bin", tfmDir.Parent!.Name, tfmDir.Name, "pulse.dll");
            Assert.True(File.Exists(path), $"pulse.dll not built at {path}");
            return path;
        }
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(PulseDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Simulate_Synthetic_PrintsUrlAndAnswersRealQuery()
    {
        var port = FreePort();
        using var process = Start("simulate", "--synthetic", "repos=3,prs=50,seed=1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.Equal($"GitHub simulator listening on http://127.0.0.1:{port}/graphql", line);

            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/graphql")
            {
                Content = new StringContent("""{"query":"query($n:Int!){ rateLimit { cost remaining } repository(owner:\"synth-org\", name:\"repo-001\") { pullRequests(first: $n) { totalCount nodes { number title commits(first: 5) { totalCount nodes { commit { oid } } } } } } }","variables":{"n":10}}""",
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("token", "sim-token");
            var response = await client.SendAsync(request, Ct);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(10, body["data"]!["repository"]!["pullRequests"]!["nodes"]!.AsArray().Count);
            Assert.Equal(4999, (int)body["data"]!["rateLimit"]!["remaining"]!);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
        }
    }

    [Fact]
    public async Task Simulate_Sigterm_StopsPromptly()
    {
        using var process = Start("simulate", "--synthetic", "repos=1,prs=3,seed=1", "--port", "0");
        try
        {
            Assert.StartsWith("GitHub simulator listening on", await process.StandardOutput.ReadLineAsync(Ct));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync(Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);

            Assert.Contains(process.ExitCode, new[] { 0, 143 });   // 143 = 128 + SIGTERM, System.CommandLine's convention
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("--synthetic", "colour=red", "Unknown synthetic setting 'colour'")]
    [InlineData("--faults", "503=0.1", "Unknown fault kind '503'")]
    [InlineData("--points-per-hour", "0", "PointsPerHour must be positive")]
    [InlineData("--port", "abc", "Cannot parse argument 'abc' for option '--port'")]
    public async Task Simulate_BadFlag_FailsWithOneLineError(string flag, string value, string expected)
    {
        using var process = Start("simulate", flag, value);

        var stderr = await process.StandardError.ReadToEndAsync(Ct);
        var stdout = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Usage:", stdout);
    }

    [Fact]
    public async Task Generate_ThenServeDataset_AnswersFromTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pulse-generated-{Guid.NewGuid():N}.json");
        var port = FreePort();
        try
        {
            using (var generate = Start("simulate", "generate", "--synthetic", "repos=2,prs=12,seed=4,big_body=false", "--out", file))
            {
                await generate.WaitForExitAsync(Ct);
                Assert.Equal(0, generate.ExitCode);
            }
            using var serve = Start("simulate", "--dataset", file, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sleep-scale", "0");
            try
            {
                Assert.StartsWith("GitHub simulator listening on", await serve.StandardOutput.ReadLineAsync(Ct));
                using var client = new HttpClient();
                var counts = JsonNode.Parse(await client.GetStringAsync($"http://127.0.0.1:{port}/_sim/data/counts", Ct))!;
                Assert.Equal(12, (int)counts["pullRequests"]!);
            }
            finally
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync(Ct);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ConvertFixtures_OutFolder_WritesEveryKind()
    {
        var output = Path.Combine(Path.GetTempPath(), $"pulse-fixtures-{Guid.NewGuid():N}");
        try
        {
            using var process = Start("simulate", "convert-fixtures", "--out", output, "--fixtures", RepositoryPaths.Fixtures);
            await process.WaitForExitAsync(Ct);

            Assert.Equal(0, process.ExitCode);
            Assert.Equal(["devlake.json", "ghtalk.json", "mergestat.json"], Directory.GetFiles(output).Select(Path.GetFileName).Order());
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
