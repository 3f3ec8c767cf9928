using System.CommandLine;
using Pulse.Core.Sync;
using Pulse.Server;

namespace Pulse.Cli;

/// <summary>
/// <c>pulse serve</c>: API, WebSocket feed, dashboard and scheduler. Embedded (default): SQLite and
/// every stage in this process. Distributed: PostgreSQL + RabbitMQ, stages in <c>pulse worker</c> processes.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:8080", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var database = new Option<string>("--database")
        {
            Description = "sqlite:PATH, or postgres://user:pass@host:port/db (or an Npgsql connection string) shared with pulse worker processes",
            DefaultValueFactory = _ => DatabaseOption.Default,
        };
        var queue = new Option<string>("--queue")
        {
            Description = "inproc (stages run in this process) or amqp://user:pass@host:5672/vhost (runs are queued for pulse worker processes; needs a postgres:// database)",
            DefaultValueFactory = _ => QueueOption.Default,
        };
        var stages = new Option<string?>("--stages")
        {
            Description = "With --queue amqp://: stages this process also consumes (extract,transform,embed or none). Default none: workers run them. "
                + "With inproc every stage runs here.",
        };
        var lease = new Option<int>("--lease-seconds")
        {
            Description = "How long a job stays with this process without renewal; after a crash another serve (or this one restarted) resumes it then",
            DefaultValueFactory = _ => 60,
        };
        var watch = new Option<int>("--watch-seconds")
        {
            Description = "How often this process checks a job it runs: renews its lease, publishes progress, requeues a quiet run (lease must be at least twice this)",
            DefaultValueFactory = _ => 1,
        };
        var quiet = new Option<int>("--requeue-after-seconds")
        {
            Description = "With --queue amqp://: a run showing no progress for this long gets its open work queued again",
            DefaultValueFactory = _ => 30,
        };
        var adminKey = new Option<string?>("--admin-key") { Description = "Key that creates tenants and API keys (default: $PULSE_ADMIN_KEY)" };
        var noEmbeddings = new Option<bool>("--no-embeddings") { Description = "Skip the embedding stage and turn search off" };
        var coalesce = new Option<int>("--webhook-coalesce-ms")
        {
            Description = "How long a webhook delivery's refresh waits for others to share it, in milliseconds (0..60000).", DefaultValueFactory = _ => 1000,
        };
        var coalesceIdle = new Option<int>("--webhook-coalesce-idle-ms")
        {
            Description = "The coalescing window closes early once no delivery has arrived for this long, in milliseconds (1..60000).", DefaultValueFactory = _ => 250,
        };
        var coalesceDeliveries = new Option<int>("--webhook-coalesce-deliveries")
        {
            Description = "The coalescing window closes early once this many deliveries arrived in it (1..1000).", DefaultValueFactory = _ => 12,
        };
        var concurrentRefreshes = new Option<int>("--webhook-concurrent-refreshes")
        {
            Description = "Webhook refreshes of one integration that may run at once, never two of the same PR (1..32).",
            DefaultValueFactory = _ => 4,
        };
        var command = new Command("serve", "Serve the API, the live dashboard and the scheduler; runs execute in this process (inproc) or in pulse worker processes (amqp).")
        {
            urls, database, queue, stages, lease, watch, quiet, adminKey, noEmbeddings, coalesce, coalesceIdle, coalesceDeliveries, concurrentRefreshes,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                if (parse.GetValue(lease) is < 5 or > 3600) throw new ArgumentException("--lease-seconds must be between 5 and 3600.");
                if (parse.GetValue(watch) < 1 || parse.GetValue(watch) * 2 > parse.GetValue(lease))
                    throw new ArgumentException("--watch-seconds must be at least 1 and at most half of --lease-seconds (the lease is renewed on every check).");
                if (parse.GetValue(quiet) is < 1 or > 86_400) throw new ArgumentException("--requeue-after-seconds must be between 1 and 86400.");
                if (parse.GetValue(coalesce) is < 0 or > 60_000) throw new ArgumentException("--webhook-coalesce-ms must be between 0 and 60000.");
                if (parse.GetValue(coalesceIdle) is < 1 or > 60_000) throw new ArgumentException("--webhook-coalesce-idle-ms must be between 1 and 60000.");
                if (parse.GetValue(coalesceDeliveries) is < 1 or > 1000) throw new ArgumentException("--webhook-coalesce-deliveries must be between 1 and 1000.");
                if (parse.GetValue(concurrentRefreshes) is < 1 or > 32) throw new ArgumentException("--webhook-concurrent-refreshes must be between 1 and 32.");
                var options = new ServerOptions
                {
                    Urls = parse.GetValue(urls)!,
                    Database = parse.GetValue(database)!,
                    Queue = parse.GetValue(queue)!,
                    Stages = parse.GetValue(stages) is { } s ? StageOption.Parse(s) : null,
                    Lease = TimeSpan.FromSeconds(parse.GetValue(lease)),
                    RunnerTick = TimeSpan.FromSeconds(parse.GetValue(watch)),
                    QuietTimeout = TimeSpan.FromSeconds(parse.GetValue(quiet)),
                    AdminKey = parse.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("PULSE_ADMIN_KEY"),
                    Embeddings = !parse.GetValue(noEmbeddings),
                    Webhooks = new()
                    {
                        CoalesceWindow = TimeSpan.FromMilliseconds(parse.GetValue(coalesce)),
                        CoalesceIdle = TimeSpan.FromMilliseconds(parse.GetValue(coalesceIdle)),
                        CoalesceDeliveries = parse.GetValue(coalesceDeliveries),
                        MaxConcurrentRefreshes = parse.GetValue(concurrentRefreshes),
                    },
                };
                await using var app = await PulseServer.BuildAsync(options, ct);
                await app.StartAsync(ct);
                var address = PulseServer.AddressOf(app);
                Console.WriteLine($"pulse serve: listening on {address} (dashboard {address}, API {address}api, OpenAPI {address}openapi/v1.json)");
                Console.WriteLine(!QueueOption.IsShared(options.Queue) ? "pulse serve: every stage runs in this process"
                    : $"pulse serve: runs are queued on RabbitMQ for pulse worker processes; stages here: {(options.Stages is { Count: > 0 } st ? string.Join(",", st) : "none")}");
                if (options.AdminKey is null) Console.WriteLine("pulse serve: no admin key (--admin-key or PULSE_ADMIN_KEY): tenants and keys cannot be created.");
                var stop = app.Services.GetRequiredService<PipelineStop>();
                await app.WaitForShutdownAsync(ct);
                if (stop.Reason is not { } reason) return 0;
                Console.Error.WriteLine($"pulse serve: stopped: {reason}");
                return 1;
            }
            catch (Exception e) when (e is ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                Console.Error.WriteLine($"pulse serve: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
