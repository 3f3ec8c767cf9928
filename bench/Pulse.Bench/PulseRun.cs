using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pulse.Core.Jobs;
using Pulse.Core.Queue;
using Pulse.Core.Storage;
using Pulse.Core.Security;
using Pulse.Core.Sync;
using Pulse.Storage.Sqlite;

namespace Pulse.Bench;

/// <summary>Pulse's embedded pipeline (SQLite file + in-process queue, no embeddings) against a simulator over HTTP, as `pulse sync --no-embeddings` runs it.</summary>
public sealed class PulseRun : IAsyncDisposable
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private readonly string _directory;

    public PulseRun(string? databasePath = null)
    {
        _directory = databasePath is null ? Directory.CreateTempSubdirectory("pulse-bench-").FullName : Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        DatabasePath = databasePath ?? Path.Combine(_directory, "pulse.db");
        _owned = databasePath is null;
    }

    private readonly bool _owned;
    public string DatabasePath { get; }

    public async Task<(SyncResult Result, TimeSpan Elapsed)> SyncAsync(Uri graphQLUrl, string owner, RateLimitBudgetOptions? budget, CancellationToken ct,
        int extractionWorkers = 2, HttpMessageHandler? handler = null)
    {
        var watch = Stopwatch.StartNew();
        var (storage, _) = await SqliteStorage.OpenAsync(DatabasePath, ct);
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(60);
        var budgets = budget ?? new RateLimitBudgetOptions();
        var result = await SyncOnHostAsync(storage, new InProcessQueue(), new AesGcmSecretProtector(Key), http, s => s.AddSingleton(budgets),
            o => o.ExtractWorkers = extractionWorkers, new SyncOptions { GraphQLUrl = graphQLUrl, Owner = owner, Token = "sim-token", Embeddings = false }, ct);
        return (result, watch.Elapsed);
    }

    /// <summary>A sync on a Generic Host composed as `pulse sync` composes it (stores, queue, key, then AddPulsePipeline), with no logging.</summary>
    public static async Task<SyncResult> SyncOnHostAsync(PulseStorage storage, IWorkQueue queue, ISecretProtector secrets, HttpClient http,
        Action<IServiceCollection> backend, Action<PipelineOptions> configure, SyncOptions options, CancellationToken ct)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Services.AddPulseStorage(storage).AddSingleton(queue).AddSingleton(secrets).AddSingleton(http);
        if (queue is InProcessQueue local) builder.Services.AddSingleton(local);
        backend(builder.Services);
        builder.Services.AddPulsePipeline(o =>
        {
            o.WatchInterval = TimeSpan.FromMilliseconds(100);
            configure(o);
        });
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            return await host.Services.GetRequiredService<SyncRunner>().RunAsync(options, null, ct);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    public async Task<RowCounts> RowsAsync()
    {
        await using var c = new SqliteConnection($"Data Source={DatabasePath}");
        await c.OpenAsync();
        return await RowCounts.ReadAsync(c);
    }

    /// <summary>When each stage of the last run started and ended, in seconds from the run's start: where the time went.</summary>
    public async Task<List<string>> StageTimelineAsync()
    {
        await using var c = new SqliteConnection($"Data Source={DatabasePath}");
        await c.OpenAsync();
        var run = await c.QuerySingleAsync<(long Id, string Started)>("SELECT id, started_at FROM etl_job_runs ORDER BY id DESC LIMIT 1");
        var start = DateTimeOffset.Parse(run.Started, System.Globalization.CultureInfo.InvariantCulture);
        var rows = await c.QueryAsync<(string Step, string Stage, string? Started, string? Finished)>(
            "SELECT step, stage, started_at, finished_at FROM run_stages WHERE run_id = @Id AND stage <> 'embedding' ORDER BY finished_at", new { run.Id });
        string At(string? t) => t is null ? "-" : (DateTimeOffset.Parse(t, System.Globalization.CultureInfo.InvariantCulture) - start).TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        return rows.Select(r => $"{r.Step} {r.Stage}: {At(r.Started)} s → {At(r.Finished)} s").ToList();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        if (_owned) try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

public sealed record RowCounts(long Repositories, long Prs, long Commits, long Reviews, long IssueComments, long Threads, long ReviewComments,
    long TimelineEvents, long Labels)
{
    /// <summary>The stored rows per table, the same query on either backend.</summary>
    public static async Task<RowCounts> ReadAsync(System.Data.Common.DbConnection c)
    {
        async Task<long> Count(string sql) => await c.ExecuteScalarAsync<long>(sql);
        return new RowCounts(
            await Count("SELECT count(*) FROM repositories"),
            await Count("SELECT count(*) FROM prs"),
            await Count("SELECT count(*) FROM prs_commits"),
            await Count("SELECT count(*) FROM prs_reviews"),
            await Count("SELECT count(*) FROM prs_comments WHERE comment_type = 'issue'"),
            await Count("SELECT count(*) FROM prs_review_threads"),
            await Count("SELECT count(*) FROM prs_comments WHERE comment_type = 'review'"),
            await Count("SELECT count(*) FROM prs_timeline_events"),
            await Count("SELECT count(*) FROM prs_labels"));
    }

    /// <summary>Relational rows written (PRs and their children).</summary>
    public long Rows => Prs + Commits + Reviews + IssueComments + Threads + ReviewComments + TimelineEvents + Labels;

    public bool Matches(DataShape shape) =>
        Prs == shape.Prs && Commits == shape.Commits && Reviews == shape.Reviews && IssueComments == shape.IssueComments
        && Threads == shape.Threads && ReviewComments == shape.ReviewComments && TimelineEvents == shape.TimelineEvents && Labels == shape.Labels;

    public string Totals() => $"{Prs} PRs, {Commits} commits, {Reviews} reviews, {IssueComments} issue comments, {Threads} threads, {ReviewComments} review comments, {TimelineEvents} timeline events, {Labels} labels";
}
