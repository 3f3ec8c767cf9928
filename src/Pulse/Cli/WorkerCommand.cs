using System.CommandLine;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Sync;
using Pulse.Embeddings.Onnx;
using Pulse.Storage.Postgres;

namespace Pulse.Cli;

/// <summary><c>pulse worker</c>: stage consumers against a shared PostgreSQL and RabbitMQ; run as many as the load needs, on any hosts.</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var database = new Option<string>("--database") { Description = "postgres://user:pass@host:port/db or an Npgsql connection string", Required = true };
        var queue = new Option<string>("--queue") { Description = "amqp://user:pass@host:5672/vhost", Required = true };
        var stages = new Option<string>("--stages") { Description = "Stages to run: extract,transform,embed", DefaultValueFactory = _ => "extract,transform,embed" };
        var concurrency = new Option<int>("--concurrency") { Description = "Consumers per stage (1..64)", DefaultValueFactory = _ => 2 };
        var lease = new Option<int>("--lease-seconds") { Description = "How long a claimed checkpoint stays with this worker before others may take it", DefaultValueFactory = _ => 120 };
        var command = new Command("worker", "Run pipeline stages for every tenant's runs from a shared PostgreSQL and RabbitMQ.") { database, queue, stages, concurrency, lease };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var n = parse.GetValue(concurrency);
                if (n is < 1 or > 64) throw new ArgumentException("--concurrency must be between 1 and 64.");
                var selected = StageOption.Parse(parse.GetValue(stages)!);
                if (selected.Count == 0) throw new ArgumentException("--stages: a worker needs at least one stage (extract, transform, embed).");
                var extraction = new ExtractOptions { Lease = TimeSpan.FromSeconds(Math.Max(5, parse.GetValue(lease))) };
                var budget = new RateLimitBudgetOptions();
                var opened = await DatabaseOption.OpenWithBudgetsAsync(parse.GetValue(database)!, budget, TimeProvider.System, ct);
                if (opened.Budgets is null) throw new ArgumentException("pulse worker needs a shared database: --database postgres://...");
                await using var rabbit = await QueueOption.OpenAsync(parse.GetValue(queue)!, ct)
                    ?? throw new ArgumentException("pulse worker needs a shared queue: --queue amqp://...");
                var secrets = AesGcmSecretProtector.FromEnvironmentOrFile(opened.KeyFile);
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
                using var generator = selected.Contains(Stage.Embed) ? new MiniLmEmbeddingGenerator() : null;
                var connections = new GitHubConnections(opened.Storage.Integrations, secrets, http, TimeProvider.System, budget, opened.Budgets);
                // Status events go out over NOTIFY, so `pulse serve` (its WebSocket feed) hears what this worker does.
                var events = new PostgresJobEventBus(opened.Postgres!, opened.Storage.Runs, TimeProvider.System,
                    $"worker:{Environment.ProcessId}", line => Console.WriteLine($"  {line}"));
                var coordinator = new RunCoordinator(opened.Storage.Runs, rabbit, events, TimeProvider.System);
                var host = new PipelineHost(opened.Storage, rabbit, connections, coordinator, generator, EmbeddingModelInfo.Id, extraction, TimeProvider.System,
                    new PipelineHostOptions { Stages = selected, ExtractWorkers = n, TransformWorkers = n, EmbedWorkers = Math.Max(1, n / 2) },
                    line => Console.WriteLine($"  {line}"));
                Console.WriteLine($"pulse worker {Environment.ProcessId}: stages {string.Join(",", selected)}, {n} consumers each");
                var loops = host.Start(ct);
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);   // System.CommandLine cancels on Ctrl+C and SIGTERM
                }
                catch (OperationCanceledException)
                {
                }
                await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"pulse worker: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
