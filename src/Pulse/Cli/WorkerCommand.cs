using System.CommandLine;
using Microsoft.Extensions.Options;
using Pulse.Core.Embed;
using Pulse.Core.Jobs;
using Pulse.Core.Sync;
using Pulse.Embeddings.Onnx;
using Pulse.Hosting;

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
                if (!DatabaseOption.IsPostgres(parse.GetValue(database)!)) throw new ArgumentException("pulse worker needs a shared database: --database postgres://...");
                if (!QueueOption.IsShared(parse.GetValue(queue)!)) throw new ArgumentException("pulse worker needs a shared queue: --queue amqp://...");
                return await RunAsync(new BackendOptions(parse.GetValue(database)!, parse.GetValue(queue)!, selected), o =>
                {
                    o.ExtractWorkers = o.TransformWorkers = n;
                    o.EmbedWorkers = Math.Max(1, n / 2);
                    o.Extract = o.Extract with { Lease = TimeSpan.FromSeconds(Math.Max(5, parse.GetValue(lease))) };
                }, ct);
            }
            catch (Exception e) when (e is ArgumentException or OptionsValidationException)
            {
                Console.Error.WriteLine($"pulse worker: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <summary>
    /// The worker on the Generic Host, composed as every verb is, until Ctrl+C or SIGTERM (0), or until it stops serving of its
    /// own accord (1, the reason the last line).
    /// </summary>
    private static async Task<int> RunAsync(BackendOptions options, Action<PipelineOptions> configure, CancellationToken ct)
    {
        var backend = await PulseBackend.OpenAsync(options, ct);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddPulseConsole();
        using var generator = backend.Stages.Contains(Stage.Embed) ? new MiniLmEmbeddingGenerator() : null;
        if (generator is not null) builder.Services.AddSingleton(new EmbeddingModel(generator, EmbeddingModelInfo.Id));
        builder.Services.AddPulseBackend(backend, "worker").AddPulsePipeline(o =>
        {
            o.Stages = backend.Stages;
            configure(o);
        });
        using var host = builder.Build();
        Console.WriteLine($"pulse worker {Environment.ProcessId}: stages {string.Join(",", backend.Stages)}, "
            + $"{host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.ExtractWorkers} consumers each");
        var stop = host.Services.GetRequiredService<PipelineStop>();   // read after the run, when the host is disposed
        try
        {
            await host.RunAsync(ct);   // System.CommandLine cancels on Ctrl+C and SIGTERM
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        if (stop.Reason is not { } reason) return 0;
        Console.Error.WriteLine($"pulse worker: stopped: {reason}");
        return 1;
    }
}
