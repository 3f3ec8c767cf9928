using System.CommandLine;
using System.Globalization;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Sync;
using Pulse.Embeddings.Onnx;

namespace Pulse.Cli;

/// <summary><c>pulse sync</c>: discovery and the github_prs job to completion, with live progress.</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--github-url") { Description = "GitHub GraphQL endpoint, e.g. https://api.github.com/graphql", Required = true };
        var token = new Option<string?>("--token") { Description = "GitHub token (default: $GITHUB_TOKEN). Never logged, stored encrypted." };
        var owner = new Option<string>("--owner") { Description = "Organisation or user whose repositories to sync", Required = true };
        var repos = new Option<string[]>("--repo") { Description = "Only these repositories (repeatable; NAME or PREFIX*)", AllowMultipleArgumentsPerToken = true };
        var database = new Option<string>("--database") { Description = "sqlite:PATH (default sqlite:pulse.db)", DefaultValueFactory = _ => DatabaseOption.Default };
        var since = new Option<string?>("--since") { Description = "Only PRs updated since this date (ISO-8601)" };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Skip the embedding stage" };
        var quiet = new Option<bool>("--quiet") { Description = "Only the final line" };
        var queue = new Option<string>("--queue") { Description = "inproc (default: work runs here) or amqp://... (work runs in pulse worker processes)", DefaultValueFactory = _ => QueueOption.Default };
        var quietTimeout = new Option<int>("--requeue-after-seconds") { Description = "With --queue amqp: requeue open work after this long without progress", DefaultValueFactory = _ => 30 };

        var command = new Command("sync", "Sync an organisation's pull requests, commits, reviews and comments into the database.")
        {
            url, token, owner, repos, database, since, noEmbeddings, quiet, queue, quietTimeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var options = new SyncOptions
                {
                    GraphQLUrl = ParseUrl(parse.GetValue(url)!),
                    Owner = ParseOwner(parse.GetValue(owner)!),
                    Token = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("GITHUB_TOKEN")
                        ?? throw new ArgumentException("No GitHub token: pass --token or set GITHUB_TOKEN."),
                    Repositories = parse.GetValue(repos) ?? [],
                    Since = ParseSince(parse.GetValue(since)),
                    Embeddings = !parse.GetValue(noEmbeddings),
                    QuietTimeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(quietTimeout))),
                };
                return await RunAsync(options, parse.GetValue(database)!, parse.GetValue(quiet), Console.Out, ct, parse.GetValue(queue)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"pulse sync: {e.Message}");
                return 2;
            }
            catch (Exception e) when (StartFailure.DescribeDatabase(e, parse.GetValue(database)!) is { } message)
            {
                Console.Error.WriteLine($"pulse sync: {message}");
                return 2;
            }
            catch (Exception e) when (OutageFailure.Describe(e) is { } message)
            {
                Console.Error.WriteLine($"pulse sync: failed: {message}; {OutageFailure.Resume}.");
                return 1;
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(SyncOptions options, string database, bool quiet, TextWriter output, CancellationToken ct, string queue = QueueOption.Default)
    {
        var budget = new RateLimitBudgetOptions();
        var opened = await DatabaseOption.OpenWithBudgetsAsync(database, budget, TimeProvider.System, ct);
        await using var rabbit = await QueueOption.OpenAsync(queue, ct);
        if (rabbit is not null && opened.Budgets is null)
            throw new ArgumentException("--queue amqp:// needs a database every worker can reach: --database postgres://...");
        var secrets = AesGcmSecretProtector.FromEnvironmentOrFile(opened.KeyFile);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        // With a shared queue the embeddings are computed by the workers; this process only needs to know they are on.
        using var generator = options.Embeddings ? new MiniLmEmbeddingGenerator() : null;
        var runner = new SyncRunner(opened.Storage, secrets, http, TimeProvider.System, generator, EmbeddingModelInfo.Id, new ExtractOptions(),
            budget, new InProcessJobEventBus(), line => { if (!quiet) output.WriteLine($"  {line}"); },
            sharedQueue: rabbit, budgetFactory: opened.Budgets, runWorkers: rabbit is null);
        var started = DateTimeOffset.UtcNow;
        var result = await runner.RunAsync(options, (status, rate) => { if (!quiet) output.WriteLine(ProgressLine.Format(status, rate, DateTimeOffset.UtcNow - started)); }, ct);
        if (result.Succeeded)
        {
            output.WriteLine($"pulse sync: finished run {result.RunId} ({result.Repositories} repositories) in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");
            return 0;
        }
        output.WriteLine($"pulse sync: failed: {result.Error ?? "unknown error"}");
        return 1;
    }

    private static Uri ParseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri : throw new ArgumentException($"--github-url must be an http(s) URL, not '{value}'.");

    private static string ParseOwner(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
            ? value : throw new ArgumentException($"--owner '{value}' is not a GitHub login (letters, digits and hyphens, at most 39).");

    private static DateTimeOffset? ParseSince(string? value) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d
        : throw new ArgumentException($"--since '{value}' is not a date (use ISO-8601, e.g. 2025-01-31).");
}

/// <summary>One line of progress: status, per-step done/total, points, ETA.</summary>
public static class ProgressLine
{
    public static string Format(JobStatus status, RateLimitInfo? rate, TimeSpan elapsed)
    {
        var steps = string.Join(" | ", status.Steps.Values.OrderBy(s => s.Order).Select(s =>
            $"{s.DisplayName} {s.Progress.Done}/{s.Progress.Total} [{Short(s.Extraction)}{Short(s.Transform)}{Short(s.Embedding)}]"));
        var done = status.Steps.Values.Sum(s => s.Progress.Done);
        var total = status.Steps.Values.Sum(s => s.Progress.Total);
        var eta = done > 0 && total > done ? $" ETA {TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done):mm\\:ss}" : "";
        var points = rate is null ? "" : $" | points used {rate.Used}, left {rate.Remaining}";
        var paused = status.RateLimitResumeAt is { } at ? $" | paused until {at:HH:mm:ss}" : "";
        return $"[{elapsed:mm\\:ss}] {status.Overall} {steps}{points}{paused}{eta}";
    }

    // Extraction / transform / embedding: . idle, > running, ✓ finished, x failed.
    private static char Short(string state) => state switch
    {
        StageState.Running => '>',
        StageState.Finished => '+',
        StageState.Failed => 'x',
        _ => '.',
    };
}
