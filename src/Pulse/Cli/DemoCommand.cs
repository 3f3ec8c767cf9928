using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pulse.Core.Jobs;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.Server;

namespace Pulse.Cli;

/// <summary>
/// <c>pulse demo</c>: the GitHub simulator on a synthetic organisation, the server with its live
/// dashboard, and a sync of the organisation through it — offline, on the embedded default.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var synthetic = new Option<string>("--synthetic") { Description = "Synthetic organisation", DefaultValueFactory = _ => "repos=3,prs=50,seed=1" };
        var database = new Option<string>("--database") { Description = "sqlite:PATH", DefaultValueFactory = _ => "sqlite:pulse-demo.db" };
        var urls = new Option<string>("--urls") { Description = "Where the dashboard listens (port 0: any free port)", DefaultValueFactory = _ => "http://127.0.0.1:0" };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Skip the embedding stage" };
        var noServe = new Option<bool>("--no-serve") { Description = "Only sync, printing progress (no server, no dashboard)" };
        var exitWhenDone = new Option<bool>("--exit-when-done") { Description = "Stop once the sync finished (the default when not run from a terminal)" };
        var command = new Command("demo", "Start the GitHub simulator on a synthetic organisation, the dashboard, and a sync (offline, embedded default).")
        {
            synthetic, database, urls, noEmbeddings, noServe, exitWhenDone,
        };
        command.SetAction(async (parse, ct) =>
        {
            SyntheticSpec spec;
            try
            {
                spec = SyntheticSpec.Parse(parse.GetValue(synthetic)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"pulse demo: {e.Message}");
                return 2;
            }
            // The demo's simulator answers at full speed: GitHub's processing time is counted, not slept.
            await using var sim = await GitHubSimulatorServer.StartAsync(new SimulatorOptions { Synthetic = spec, ProcessingTimeScale = 0 }, ct);
            Console.WriteLine($"GitHub simulator listening on {sim.GraphQLUrl} ({spec})");
            var db = parse.GetValue(database)!;
            var embeddings = !parse.GetValue(noEmbeddings);
            if (parse.GetValue(noServe))
            {
                var options = new SyncOptions { GraphQLUrl = sim.GraphQLUrl, Owner = SyntheticDataset.OrganizationLogin, Token = sim.Options.Tokens[0], Embeddings = embeddings };
                return await SyncCommand.RunAsync(options, db, quiet: false, Console.Out, ct);
            }
            var stay = !parse.GetValue(exitWhenDone) && !Console.IsInputRedirected && Environment.GetEnvironmentVariable("CI") is null;
            return await ServeAndSyncAsync(sim, db, parse.GetValue(urls)!, embeddings, stay, ct);
        });
        return command;
    }

    private static async Task<int> ServeAndSyncAsync(GitHubSimulatorServer sim, string database, string urls, bool embeddings, bool stay, CancellationToken ct)
    {
        var adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var app = await PulseServer.BuildAsync(new ServerOptions { Urls = urls, Database = database, AdminKey = adminKey, Embeddings = embeddings }, ct);
        await app.StartAsync(ct);
        var address = PulseServer.AddressOf(app);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var tenant = await ReadAsync(await http.PostAsJsonAsync("/api/admin/tenants", new { name = $"demo-{DateTime.UtcNow:yyyyMMddHHmmss}" }, ct), ct);
        var key = (await ReadAsync(await http.PostAsJsonAsync($"/api/admin/tenants/{tenant.GetProperty("id").GetInt64()}/keys", new { name = "demo" }, ct), ct))
            .GetProperty("key").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var integration = await ReadAsync(await http.PostAsJsonAsync("/api/integrations",
            new { github_url = sim.GraphQLUrl.ToString(), owner = SyntheticDataset.OrganizationLogin, token = sim.Options.Tokens[0] }, ct), ct);
        var jobs = await ReadAsync(await http.GetAsync("/api/jobs", ct), ct);
        var jobId = jobs.EnumerateArray().Single(j => j.GetProperty("integration_id").GetInt64() == integration.GetProperty("id").GetInt64()
            && j.GetProperty("job_name").GetString() == "github_prs").GetProperty("id").GetInt64();

        Console.WriteLine($"Dashboard: {address}   API key: {key}");
        (await http.PostAsync($"/api/jobs/{jobId}/run-now", null, ct)).EnsureSuccessStatusCode();
        var overall = await ProgressDisplay.RunAsync(Console.Out, quiet: false, async progress =>
        {
            var seenRunning = false;
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                var job = await ReadAsync(await http.GetAsync($"/api/jobs/{jobId}", ct), ct);
                var status = job.GetProperty("job").GetProperty("status").Deserialize<JobStatus>()!;
                progress(status, null);
                seenRunning |= status.Overall is "RUNNING" or "RATE_LIMITED";
                // Run Now starts the job in the background: READY before it began is not the end.
                if (status.Overall is "FINISHED" or "FAILED" || (seenRunning && status.Overall == "READY")) return status.Overall;
            }
        });

        Console.WriteLine(overall == "FAILED" ? "pulse demo: the sync failed; see the job's details on the dashboard." : "pulse demo: sync finished.");
        if (stay)
        {
            Console.WriteLine($"Dashboard still serving at {address} (API key {key}); Ctrl+C to stop.");
            await app.WaitForShutdownAsync(ct);
        }
        else
        {
            await app.StopAsync(CancellationToken.None);
        }
        return overall == "FAILED" ? 1 : 0;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"pulse demo: the server answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
