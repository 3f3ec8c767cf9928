using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using Pulse.Core.Embed;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Sync;
using Pulse.Embeddings.Onnx;
using Pulse.Hosting;

namespace Pulse.Cli;

/// <summary><c>pulse sync</c>: discovery and the github_prs job to completion, with live progress.</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--github-url")
        {
            Description = "GitHub: https://api.github.com (the default) or Enterprise Server's https://HOST (…/api/graphql and …/api/v3 work too)",
            DefaultValueFactory = _ => GitHubEndpoints.DotCom.GraphQL.ToString(),
        };
        var auth = new GitHubAuthOptions();
        var owner = new Option<string>("--owner") { Description = "Organisation or user whose repositories to sync", Required = true };
        var repos = new Option<string[]>("--repo") { Description = "Only these repositories (repeatable; NAME or PREFIX*)", AllowMultipleArgumentsPerToken = true };
        var database = new Option<string>("--database") { Description = "sqlite:PATH (default sqlite:pulse.db)", DefaultValueFactory = _ => DatabaseOption.Default };
        var since = new Option<string?>("--since") { Description = "Only PRs updated since this date (ISO-8601)" };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Skip the embedding stage" };
        var quiet = new Option<bool>("--quiet") { Description = "Only the final line" };
        var queue = new Option<string>("--queue") { Description = "inproc (default: work runs here) or amqp://... (work runs in pulse worker processes)", DefaultValueFactory = _ => QueueOption.Default };
        var quietTimeout = new Option<int>("--requeue-after-seconds") { Description = "With --queue amqp: requeue open work after this long without progress", DefaultValueFactory = _ => 30 };
        var workerWait = new Option<int>("--wait-for-workers-seconds")
        {
            Description = "With --queue amqp: fail when no live pulse worker runs a needed stage for this long (a worker that refused to serve fails the sync at once)",
            DefaultValueFactory = _ => 30,
        };

        var command = new Command("sync", "Sync an organisation's pull requests, commits, reviews and comments into the database.")
        {
            url, auth.Tokens, auth.AppId, auth.AppKey, auth.InstallationId, owner, repos, database, since, noEmbeddings, quiet, queue, quietTimeout, workerWait,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var options = new SyncOptions
                {
                    GraphQLUrl = ParseUrl(parse.GetValue(url)!),
                    Owner = ParseOwner(parse.GetValue(owner)!),
                    Credentials = auth.Read(parse),
                    Repositories = parse.GetValue(repos) ?? [],
                    Since = ParseSince(parse.GetValue(since)),
                    Embeddings = !parse.GetValue(noEmbeddings),
                };
                if (parse.GetValue(workerWait) is < 1 or > 3600) throw new ArgumentException("--wait-for-workers-seconds must be between 1 and 3600.");
                return await RunAsync(options, parse.GetValue(database)!, parse.GetValue(quiet), Console.Out, ct, parse.GetValue(queue)!, pipeline =>
                {
                    pipeline.QuietTimeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(quietTimeout)));
                    pipeline.WorkerWait = TimeSpan.FromSeconds(parse.GetValue(workerWait));
                });
            }
            catch (Exception e) when (e is ArgumentException or OptionsValidationException)
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

    /// <summary>
    /// The sync on the Generic Host, composed as every verb is: the backend, then <see cref="PipelineServices.AddPulsePipeline"/>.
    /// The host runs this process's stage workers (all of them in-process; none with a shared queue) while the runner watches the run.
    /// </summary>
    public static async Task<int> RunAsync(SyncOptions options, string database, bool quiet, TextWriter output, CancellationToken ct,
        string queue = QueueOption.Default, Action<PipelineOptions>? configure = null)
    {
        var backend = await PulseBackend.OpenAsync(new BackendOptions(database, queue), ct);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // Live bars redraw in place: only warnings and errors are logged beside them.
        builder.Logging.AddPulseConsole(quiet ? LogLevel.None : ProgressDisplay.Live(output) ? LogLevel.Warning : LogLevel.Information);
        // With a shared queue the embeddings are computed by the workers; this process only needs to know they are on.
        using var generator = options.Embeddings ? new MiniLmEmbeddingGenerator() : null;
        if (generator is not null) builder.Services.AddSingleton(new EmbeddingModel(generator, EmbeddingModelInfo.Id));
        builder.Services.AddPulseBackend(backend, "sync").AddPulsePipeline(o =>
        {
            o.Stages = backend.Stages;
            configure?.Invoke(o);
        });

        var started = DateTimeOffset.UtcNow;
        SyncResult result;
        using (var host = builder.Build())
        {
            await host.StartAsync(ct);
            // The pipeline may stop the host of its own accord (PipelineService): the wait for the run ends with it.
            var stop = host.Services.GetRequiredService<PipelineStop>();
            using var serving = CancellationTokenSource.CreateLinkedTokenSource(ct, host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            try
            {
                result = await ProgressDisplay.RunAsync(output, quiet, progress => host.Services.GetRequiredService<SyncRunner>().RunAsync(options, progress, serving.Token));
            }
            catch (OperationCanceledException) when (stop.Reason is not null)
            {
                result = new SyncResult(false, 0, $"stopped: {stop.Reason}", 0);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
        // The host is gone, its console flushed: the verdict is the last line.
        if (result.Succeeded)
        {
            output.WriteLine($"pulse sync: finished run {result.RunId} ({result.Repositories} repositories) in {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");
            return 0;
        }
        output.WriteLine($"pulse sync: failed: {result.Error ?? "unknown error"}");
        return 1;
    }

    /// <summary>The GraphQL endpoint of what the user typed (https://HOST of Enterprise Server, or api.github.com's forms).</summary>
    private static Uri ParseUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"--github-url must be an http(s) URL, not '{value}'.");
        try
        {
            return GitHubEndpoints.Parse(value).GraphQL;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--github-url: {e.Message}");
        }
    }

    private static string ParseOwner(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
            ? value : throw new ArgumentException($"--owner '{value}' is not a GitHub login (letters, digits and hyphens, at most 39).");

    private static DateTimeOffset? ParseSince(string? value) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d
        : throw new ArgumentException($"--since '{value}' is not a date (use ISO-8601, e.g. 2025-01-31).");
}
