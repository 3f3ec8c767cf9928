using System.CommandLine;
using Pulse.GitHubSimulator.Fixtures;
using Pulse.GitHubSimulator.Http;
using Pulse.GitHubSimulator.Synthetic;

namespace Pulse.Cli;

/// <summary><c>pulse simulate</c>: serves the GitHub GraphQL simulator until Ctrl+C; <c>pulse simulate convert-fixtures</c> writes data sets.</summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 5099 };
        var dataset = new Option<FileInfo?>("--dataset") { Description = "Data set file (DATASET.md format, optionally gzip)." };
        var synthetic = new Option<string?>("--synthetic") { Description = "Generate the data: repos=N,prs=N,seed=N[,tails=none|normal|heavy][,commits_max=N][,big_body=BOOL]." };
        var seed = new Option<int>("--seed") { Description = "Seed of the fault draws (and of --synthetic unless it names one).", DefaultValueFactory = _ => 1 };
        var faults = new Option<string?>("--faults") { Description = $"Fault rates KIND=RATE,... with KIND one of {string.Join(", ", FaultKinds.Names)}." };
        var latency = new Option<int>("--latency-ms") { Description = "Real delay added to every answer, in milliseconds." };
        var tokens = new Option<string>("--tokens")
        {
            Description = "Accepted tokens, comma-separated: USER:TOKEN (a user's tokens share its budgets) or TOKEN (a user of its own).",
            DefaultValueFactory = _ => "sim-token",
        };
        var points = new Option<int>("--points-per-hour") { Description = "Primary limit per user and window; below 5,000 an App installation's budget scales by the same factor.", DefaultValueFactory = _ => 5_000 };
        var window = new Option<double>("--rate-window-seconds") { Description = "Length of the primary-limit window in seconds.", DefaultValueFactory = _ => 3600 };
        var sleep = new Option<double>("--sleep-scale") { Description = "Real sleep = simulated processing × this (0 answers at once).", DefaultValueFactory = _ => 1.0 };
        var timing = new Option<double>("--timing-scale")
        {
            Description = "Multiplies every simulated duration: 1 = calibrated on GitHub's public record, 2 or 4 = GitHub slower than that.",
            DefaultValueFactory = _ => 1.0,
        };

        var apps = new Option<string[]>("--app")
        {
            Description = "A GitHub App installation ID:PUBLIC_KEY_PEM_FILE:INSTALLATION_ID[:REPOS[:USERS]] (repeatable); its budget follows GitHub's rule.",
        };
        var tokenTtl = new Option<string>("--installation-token-ttl") { Description = "How long installation tokens live, e.g. 60s, 10m, 1h", DefaultValueFactory = _ => "1h" };
        var ghes = new Option<bool>("--ghes") { Description = "Be GitHub Enterprise Server with rate limiting off: /api/graphql and /api/v3, no rate limit" };

        var webhookUrl = new Option<string?>("--webhook-url") { Description = "Send every data mutation's webhook deliveries, signed, to this URL (e.g. a serve's /api/webhooks/github/ID)." };
        var webhookSecret = new Option<string?>("--webhook-secret") { Description = "The hook's secret (X-Hub-Signature-256); required with --webhook-url." };
        var webhookDrop = new Option<double>("--webhook-drop") { Description = "Share of deliveries lost, 0..1 (redeliver one with POST /_sim/webhooks/redeliver).", DefaultValueFactory = _ => 0 };

        var command = new Command("simulate", "Serve a GitHub GraphQL API look-alike on http://127.0.0.1:PORT/graphql.")
        {
            port, dataset, synthetic, seed, faults, latency, tokens, points, window, sleep, timing, apps, tokenTtl, ghes, webhookUrl, webhookSecret, webhookDrop,
        };
        command.Subcommands.Add(ConvertFixtures());
        command.Subcommands.Add(Generate());
        command.SetAction(async (parse, ct) =>
        {
            SimulatorOptions options;
            try
            {
                if (parse.GetValue(dataset) is not null && parse.GetValue(synthetic) is not null)
                    throw new ArgumentException("Give either --dataset or --synthetic, not both.");
                var spec = parse.GetValue(synthetic) is { } text
                    ? SyntheticSpec.Parse(text.Contains("seed=", StringComparison.OrdinalIgnoreCase) ? text : $"seed={parse.GetValue(seed)},{text}")
                    : new SyntheticSpec { Seed = parse.GetValue(seed) };
                if (parse.GetValue(latency) < 0) throw new ArgumentException("--latency-ms must not be negative.");
                if (!(parse.GetValue(window) > 0)) throw new ArgumentException("--rate-window-seconds must be positive.");
                Uri? hook = null;
                if (parse.GetValue(webhookUrl) is { } hookText && !Uri.TryCreate(hookText, UriKind.Absolute, out hook))
                    throw new ArgumentException($"--webhook-url '{hookText}' is not an absolute URL.");
                options = new SimulatorOptions
                {
                    Port = parse.GetValue(port),
                    DatasetPath = parse.GetValue(dataset)?.FullName,
                    Synthetic = spec,
                    Seed = parse.GetValue(seed),
                    Faults = parse.GetValue(faults) is { } f ? FaultKinds.ParseRates(f) : new Dictionary<FaultKind, double>(),
                    Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                    Tokens = parse.GetValue(tokens)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    PointsPerHour = parse.GetValue(points),
                    RateWindow = TimeSpan.FromSeconds(parse.GetValue(window)),
                    ProcessingTimeScale = parse.GetValue(sleep),
                    TimingScale = parse.GetValue(timing),
                    Apps = [.. (parse.GetValue(apps) ?? []).Select(SimulatedApp.Parse)],
                    InstallationTokenTtl = Duration(parse.GetValue(tokenTtl)!, "--installation-token-ttl"),
                    EnterpriseServer = parse.GetValue(ghes),
                    WebhookUrl = hook,
                    WebhookSecret = parse.GetValue(webhookSecret),
                    WebhookDropRate = parse.GetValue(webhookDrop),
                };
                options.Validate();
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync("pulse simulate: " + e.Message);
                return 2;
            }

            GitHubSimulatorServer sim;
            try
            {
                sim = await GitHubSimulatorServer.StartAsync(options, ct);
            }
            catch (Exception e) when (StartFailure.Describe(e, options.DatasetPath, options.Port) is { } message)
            {
                await Console.Error.WriteLineAsync("pulse simulate: " + message);
                return 2;
            }
            await using var _ = sim;
            Console.WriteLine($"GitHub simulator listening on {sim.GraphQLUrl}{(options.EnterpriseServer ? " (Enterprise Server, rate limiting off)" : "")}");
            foreach (var app in options.Apps)
                Console.WriteLine($"GitHub App {app.AppId}: installation {app.InstallationId}, {sim.InstallationPointsPerHour(app.InstallationId)} points/h, tokens at {sim.RestUrl}app/installations/{app.InstallationId}/access_tokens");
            Console.WriteLine($"data: {string.Join(", ", sim.DataCounts.Select(c => $"{c.Key}={c.Value}"))}; control: {sim.BaseUrl}_sim/stats");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);   // System.CommandLine cancels on Ctrl+C and SIGTERM
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }

    /// <summary>"90s", "10m", "1h" or a number of seconds.</summary>
    private static TimeSpan Duration(string text, string option)
    {
        var (number, unit) = text.Length > 0 && char.IsLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, System.Globalization.CultureInfo.InvariantCulture, out var value) || !(value > 0) || unit is not ('s' or 'm' or 'h'))
            throw new ArgumentException($"{option} '{text}' must be a positive duration such as 60s, 10m or 1h.");
        return unit switch { 'h' => TimeSpan.FromHours(value), 'm' => TimeSpan.FromMinutes(value), _ => TimeSpan.FromSeconds(value) };
    }

    private static Command ConvertFixtures()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for <kind>.json data sets.", Required = true };
        var fixtures = new Option<DirectoryInfo?>("--fixtures") { Description = "Fixture root (default: third_party/github-fixtures of this checkout)." };
        var command = new Command("convert-fixtures", "Convert the recorded GitHub fixtures into data sets.") { output, fixtures };
        command.SetAction(parse =>
        {
            var root = parse.GetValue(fixtures)?.FullName ?? FindFixtures();
            if (root is null || !Directory.Exists(root))
            {
                Console.Error.WriteLine("pulse simulate convert-fixtures: fixture folder not found; pass --fixtures DIR.");
                return 2;
            }
            foreach (var file in FixtureConverter.ConvertAll(root, parse.GetValue(output)!.FullName))
                Console.WriteLine($"wrote {file}");
            return 0;
        });
        return command;
    }

    private static Command Generate()
    {
        var spec = new Option<string>("--synthetic") { Description = "repos=N,prs=N,seed=N[,tails=...][,commits_max=N][,big_body=BOOL]", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The data set file to write.", Required = true };
        var command = new Command("generate", "Write a synthetic data set to a file (for benchmarks and --dataset).") { spec, output };
        command.SetAction(parse =>
        {
            SyntheticSpec parsed;
            try
            {
                parsed = SyntheticSpec.Parse(parse.GetValue(spec)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("pulse simulate generate: " + e.Message);
                return 2;
            }
            var file = parse.GetValue(output)!;
            using (var stream = file.Create()) SyntheticDataset.Generate(parsed, stream);
            Console.WriteLine($"wrote {file.FullName} ({parsed})");
            return 0;
        });
        return command;
    }

    private static string? FindFixtures()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "third_party", "github-fixtures")))
                    return Path.Combine(dir.FullName, "third_party", "github-fixtures");
        return null;
    }
}
