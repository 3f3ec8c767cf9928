using System.Text;
using Dapper;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.EndToEnd.Tests.Security;

/// <summary>A GitHub token is never stored in clear, never printed, and a bad one leaves what is stored untouched.</summary>
public sealed class SecretTests
{
    private const string Token = "ghp_PulseSecretTokenThatMustNeverLeak0123";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sync_WithAToken_TokenAppearsInNoTableNoPayloadAndNoOutput()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions
        {
            Synthetic = SyntheticSpec.Parse("repos=2,prs=10,seed=31,big_body=false"), ProcessingTimeScale = 0, Tokens = [Token],
        }, Ct);
        await using var harness = new SyncHarness();
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { PulseProcess.Dll, "sync", "--github-url", sim.GraphQLUrl.ToString(), "--owner", SyntheticDataset.OrganizationLogin,
                     "--database", $"sqlite:{harness.DatabasePath}", "--no-embeddings" })
            info.ArgumentList.Add(a);
        info.Environment["GITHUB_TOKEN"] = Token;
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct) + await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(0, process.ExitCode);
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(harness.DatabasePath, Ct)), StringComparison.Ordinal);
        await using var c = await harness.OpenAsync();
        var stored = await c.ExecuteScalarAsync<string>("SELECT token_protected FROM integrations");
        Assert.StartsWith("v1:", stored, StringComparison.Ordinal);
        foreach (var table in await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'"))
        {
            var columns = (await c.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}') WHERE type = 'TEXT'")).ToList();
            foreach (var column in columns)
                Assert.Equal(0, await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{table}\" WHERE instr(\"{column}\", @Token) > 0", new { Token }));
        }
    }

    [Fact]
    public async Task Sync_WithARevokedToken_FailsClearlyAndLosesNothingStored()
    {
        await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = SyntheticSpec.Parse("repos=2,prs=10,seed=37,big_body=false"), ProcessingTimeScale = 0 }, Ct);
        await using var harness = new SyncHarness();
        Assert.True((await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, ct: Ct)).Succeeded);
        var before = await harness.CanonicalDumpAsync();

        var result = await harness.SyncAsync(sim, SyntheticDataset.OrganizationLogin, token: "revoked-token", ct: Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("GitHub rejected the token (401 Bad credentials): it is unknown, expired or revoked; update the integration's token and run again.", result.Error);
        Assert.Equal(before, await harness.CanonicalDumpAsync());
    }
}
