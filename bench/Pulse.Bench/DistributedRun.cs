using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Security;
using Pulse.Core.Sync;
using Pulse.Queue.RabbitMq;
using Pulse.Storage.Postgres;
using RabbitMQ.Client;

namespace Pulse.Bench;

/// <summary>
/// Pulse's distributed deployment (PostgreSQL + RabbitMQ, no embeddings) against a simulator: a database and
/// queues of its own (PULSE_TEST_POSTGRES / PULSE_TEST_RABBITMQ, or services.sh's defaults), dropped afterwards.
/// The stage workers are <c>pulse worker</c> processes (<see cref="WorkerProcesses"/>), or consume from the broker inside this
/// process, as `pulse serve` would.
/// </summary>
public sealed class DistributedRun : IAsyncDisposable
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private readonly string _name = $"pulse_bench_{Guid.NewGuid():N}";
    private string? _database;

    public static string Postgres => Environment.GetEnvironmentVariable("PULSE_TEST_POSTGRES") is { Length: > 0 } s ? s
        : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public static string RabbitMq => Environment.GetEnvironmentVariable("PULSE_TEST_RABBITMQ") is { Length: > 0 } s ? s : "amqp://guest:guest@127.0.0.1:5672/";

    private string Prefix => _name + ".";

    /// <summary>CPU time of the <c>pulse worker</c> processes in the last sync (zero with the workers in this process).</summary>
    public TimeSpan WorkerCpu { get; private set; }

    /// <summary>CPU time of the PostgreSQL processes serving this run's database in the last sync (<see cref="PostgresCpu"/>).</summary>
    public TimeSpan DatabaseCpu { get; private set; }

    /// <summary>
    /// A full sync with <paramref name="workers"/> consumers per stage: in <paramref name="processes"/> <c>pulse worker</c> processes
    /// (started, and their migration done, before the clock starts), or in this process when 0.
    /// </summary>
    public async Task<(SyncResult Result, TimeSpan Elapsed)> SyncAsync(Uri graphQLUrl, string owner, int workers, CancellationToken ct, int processes = 0)
    {
        if (_database is null)
        {
            await using var admin = new NpgsqlConnection(Postgres);
            await admin.ExecuteAsync($"CREATE DATABASE \"{_name}\"");
            _database = new NpgsqlConnectionStringBuilder(Postgres) { Database = _name }.ConnectionString;
        }
        var queueUrl = $"{RabbitMq}?prefix={Uri.EscapeDataString(Prefix)}";
        using var workerProcesses = processes > 0 ? await WorkerProcesses.StartAsync(processes, workers, _database, queueUrl, Key, ct) : null;
        var cpuBefore = workerProcesses?.CpuTime() ?? TimeSpan.Zero;
        var databaseCpuBefore = PostgresCpu.Of(_name);
        var watch = Stopwatch.StartNew();
        var (storage, db) = await PostgresStorage.OpenAsync(_database, ct);
        await using (db)
        {
            await using var queue = await RabbitMqQueue.ConnectAsync(RabbitMqOptions.Parse(queueUrl), ct);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var budget = new RateLimitBudgetOptions();
            var shared = new SharedRateLimitBudgets(key => new PostgresRateLimitBudget(db, key, TimeProvider.System, budget));
            var result = await PulseRun.SyncOnHostAsync(storage, queue, new AesGcmSecretProtector(Key), http, s => s.AddSingleton(budget).AddSingleton(shared), o =>
            {
                o.ExtractWorkers = o.TransformWorkers = workers;
                if (processes > 0) o.Stages = new HashSet<Stage>();
            }, new SyncOptions { GraphQLUrl = graphQLUrl, Owner = owner, Token = "sim-token", Embeddings = false }, ct);
            var elapsed = watch.Elapsed;
            WorkerCpu = (workerProcesses?.CpuTime() ?? TimeSpan.Zero) - cpuBefore;
            DatabaseCpu = PostgresCpu.Of(_name) - databaseCpuBefore;
            return (result, elapsed);
        }
    }

    public async Task<RowCounts> RowsAsync()
    {
        await using var c = new NpgsqlConnection(_database);
        return await RowCounts.ReadAsync(c);
    }

    /// <summary>When each stage of the last run started and ended, in seconds from the run's start.</summary>
    public async Task<List<string>> StageTimelineAsync()
    {
        await using var c = new NpgsqlConnection(_database);
        var run = await c.QuerySingleAsync<(long Id, DateTime Started)>("SELECT id, started_at FROM etl_job_runs ORDER BY id DESC LIMIT 1");
        var rows = await c.QueryAsync<(string Step, string Stage, DateTime? Started, DateTime? Finished)>(
            "SELECT step, stage, started_at, finished_at FROM run_stages WHERE run_id = @Id AND stage <> 'embedding' ORDER BY finished_at", new { run.Id });
        string At(DateTime? t) => t is null ? "-" : (t.Value - run.Started).TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        return rows.Select(r => $"{r.Step} {r.Stage}: {At(r.Started)} s → {At(r.Finished)} s").ToList();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_database is not null)
        {
            await using var admin = new NpgsqlConnection(Postgres);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
        }
        var options = RabbitMqOptions.Parse(RabbitMq);
        await using var connection = await new ConnectionFactory { Uri = options.Uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in QueueNames.All)
        {
            await channel.QueueDeleteAsync(Prefix + queue);
            await channel.QueueDeleteAsync(Prefix + queue + ".dead");
        }
    }
}
