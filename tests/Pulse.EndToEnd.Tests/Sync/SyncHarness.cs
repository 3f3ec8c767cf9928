using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Pulse.Core.Extract;
using Pulse.Core.GitHub;
using Pulse.Core.Jobs;
using Pulse.Core.Security;
using Pulse.Core.Sync;
using Pulse.GitHubSimulator.Http;
using Pulse.Storage.Sqlite;

namespace Pulse.EndToEnd.Tests.Sync;

/// <summary>Runs the embedded pipeline (SQLite + in-process queue, no embeddings) against a simulator over real HTTP.</summary>
public sealed class SyncHarness : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pulse-e2e-").FullName;
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public string DatabasePath => Path.Combine(_directory, "pulse.db");
    public List<JobStatusChanged> Events { get; } = [];

    public async Task<SyncResult> SyncAsync(GitHubSimulatorServer sim, string owner, string token = "sim-token", ExtractionOptions? extraction = null,
        RateLimitBudgetOptions? budget = null, DateTimeOffset? since = null, CancellationToken ct = default)
    {
        var (storage, _) = await SqliteStorage.OpenAsync(DatabasePath, ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var events = new InProcessJobEventBus();
        using var subscription = events.Subscribe(e => { lock (Events) Events.Add(e); return Task.CompletedTask; });
        var runner = new SyncRunner(storage, new AesGcmSecretProtector(Key), http, TimeProvider.System, null, "none",
            extraction ?? new ExtractionOptions { InitialBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromSeconds(2) },
            budget ?? new RateLimitBudgetOptions(), events, _ => { });
        var options = new SyncOptions
        {
            GraphQLUrl = sim.GraphQLUrl, Owner = owner, Token = token, Embeddings = false, Since = since,
            ProgressInterval = TimeSpan.FromMilliseconds(100),
        };
        return await runner.RunAsync(options, null, ct);
    }

    public async Task<SqliteConnection> OpenAsync()
    {
        var c = new SqliteConnection($"Data Source={DatabasePath}");
        await c.OpenAsync();
        return c;
    }

    /// <summary>Every table's rows in a canonical order (no surrogate keys), to compare two databases.</summary>
    public async Task<string> CanonicalDumpAsync()
    {
        await using var c = await OpenAsync();
        var parts = new List<string>();
        foreach (var sql in CanonicalQueries)
            parts.Add(string.Join("\n", (await c.QueryAsync(sql)).Select(r => string.Join("|", ((IDictionary<string, object?>)r).Values))));
        return string.Join("\n---\n", parts);
    }

    private static readonly string[] CanonicalQueries =
    [
        "SELECT node_id, full_name, default_branch FROM repositories ORDER BY node_id",
        """
        SELECT p.node_id, r.full_name, p.number, p.title, p.body, p.state, p.is_draft, p.author_login, p.merged_by_login, p.additions, p.deletions,
          p.changed_files, p.created_at, p.updated_at, p.closed_at, p.merged_at, p.commits_total, p.reviews_total, p.comments_total,
          p.review_threads_total, p.commit_count, p.review_count, p.issue_comment_count, p.review_comment_count, p.first_review_at,
          p.review_cycles, p.rework_commit_count
        FROM prs p JOIN repositories r ON r.id = p.repository_id ORDER BY p.node_id
        """,
        "SELECT p.node_id, c.oid, c.message, c.author_name, c.committed_date FROM prs_commits c JOIN prs p ON p.id = c.pr_id ORDER BY p.node_id, c.oid",
        "SELECT p.node_id, v.node_id, v.state, v.body, v.author_login, v.submitted_at FROM prs_reviews v JOIN prs p ON p.id = v.pr_id ORDER BY v.node_id",
        "SELECT p.node_id, t.node_id, t.is_resolved, t.path, t.line FROM prs_review_threads t JOIN prs p ON p.id = t.pr_id ORDER BY t.node_id",
        """
        SELECT p.node_id, m.node_id, m.comment_type, t.node_id, v.node_id, m.body, m.author_login, m.path, m.line, m.reply_to_node_id, m.updated_at
        FROM prs_comments m JOIN prs p ON p.id = m.pr_id LEFT JOIN prs_review_threads t ON t.id = m.thread_id LEFT JOIN prs_reviews v ON v.id = m.review_id
        ORDER BY m.node_id
        """,
    ];

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
