using System.Data;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pulse.Core.Metrics;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>
/// Recomputes <c>pr_metrics</c> for a set of PRs from their stored rows, with <see cref="PrMetricsCalculator"/>: the rows of
/// 500 PRs are read at a time, in the caller's transaction, and each PR's row is replaced whole.
/// </summary>
internal static class PrMetricsSweep
{
    /// <summary>The PRs whose ids <paramref name="prIdsSql"/> selects (with <paramref name="args"/>), under the integration's bot list.</summary>
    public static async Task<int> RecomputeAsync(SqlDialect dialect, DbConnection c, DbTransaction tx, string prIdsSql, object args, long integrationId,
        DateTimeOffset now, CancellationToken ct)
    {
        var bots = await BotsAsync(c, tx, dialect, integrationId);
        var ids = (await c.QueryAsync<long>(prIdsSql, args, tx)).ToList();
        foreach (var chunk in ids.Chunk(500))
        {
            var inChunk = new { chunk = dialect.List(chunk) };
            var prs = await c.QueryAsync<PrRow>($"""
                SELECT id AS Id, tenant_id AS TenantId, repository_id AS RepositoryId, author_login AS AuthorLogin, author_type AS AuthorType, is_draft AS IsDraft,
                  state AS State, created_at AS CreatedAt, merged_at AS MergedAt, additions AS Additions, deletions AS Deletions, changed_files AS ChangedFiles
                FROM prs WHERE {dialect.In("id", "@chunk")}
                """, inChunk, tx);
            var events = (await c.QueryAsync<ChildRow>($"""
                SELECT pr_id AS PrId, event_type AS Kind, created_at AS At FROM prs_timeline_events WHERE {dialect.In("pr_id", "@chunk")} ORDER BY pr_id, created_at, id
                """, inChunk, tx)).ToLookup(e => e.PrId);
            var commits = (await c.QueryAsync<ChildRow>($"""
                SELECT pr_id AS PrId, authored_date AS At FROM prs_commits WHERE {dialect.In("pr_id", "@chunk")}
                """, inChunk, tx)).ToLookup(e => e.PrId);
            var reviews = (await c.QueryAsync<ChildRow>($"""
                SELECT pr_id AS PrId, author_login AS Login, author_type AS Type, state AS Kind, submitted_at AS At FROM prs_reviews WHERE {dialect.In("pr_id", "@chunk")}
                """, inChunk, tx)).ToLookup(e => e.PrId);
            var comments = (await c.QueryAsync<ChildRow>($"""
                SELECT pr_id AS PrId, author_login AS Login, author_type AS Type, created_at AS At FROM prs_comments
                WHERE comment_type = 'review' AND {dialect.In("pr_id", "@chunk")}
                """, inChunk, tx)).ToLookup(e => e.PrId);
            var rows = prs.Select(p =>
            {
                var activity = new PrActivity(p.AuthorLogin, p.AuthorType, p.IsDraft, p.State, p.CreatedAt, p.MergedAt, p.Additions, p.Deletions, p.ChangedFiles,
                    [.. events[p.Id].Select(e => new PrEvent(e.Kind!, e.At!.Value))], [.. commits[p.Id].Select(x => x.At)],
                    [.. reviews[p.Id].Select(r => new PrReview(r.Login, r.Type, r.Kind!, r.At))],
                    [.. comments[p.Id].Select(x => new PrReviewComment(x.Login, x.Type, x.At!.Value))]);
                var m = PrMetricsCalculator.Compute(activity, bots);
                return new object?[]
                {
                    p.Id, p.TenantId, p.RepositoryId, m.OpenedAsDraft, m.ReadyAt, m.DraftSeconds, m.FirstCommitAt, m.FirstReviewAt, m.CodingSeconds,
                    m.PickupSeconds, m.ReviewSeconds, m.CycleSeconds, m.TimeToMergeSeconds, m.ReviewRequests, m.Reviewers, m.Approvals,
                    m.ChangesRequested, m.ReworkCommits, m.ForcePushes, m.Size, m.ChangedFiles, m.AuthorIsBot, now,
                };
            }).ToList();
            if (rows.Count > 0) await dialect.RunManyAsync(c, tx, Upsert, rows, ct);
        }
        return ids.Count;
    }

    /// <summary>The integration's bot list (settings <c>BotLogins</c>).</summary>
    private static async Task<BotRule> BotsAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, long integrationId)
    {
        var json = await c.ExecuteScalarAsync<string?>($"SELECT {dialect.JsonText("settings")} FROM integrations WHERE id = @integrationId", new { integrationId }, tx);
        var settings = json is null ? null : JsonSerializer.Deserialize<IntegrationSettings>(json);
        return new BotRule(settings?.BotLogins ?? []);
    }

    private static (string, DbType) L(string n) => (n, DbType.Int64);
    private static (string, DbType) B(string n) => (n, DbType.Boolean);
    private static (string, DbType) T(string n) => (n, DbType.DateTimeOffset);

    private static readonly SqlBatch Upsert = new("row.pr_metrics", """
        INSERT INTO pr_metrics (pr_id, tenant_id, repository_id, opened_as_draft, ready_at, draft_seconds, first_commit_at, first_review_at, coding_seconds,
          pickup_seconds, review_seconds, cycle_seconds, time_to_merge_seconds, review_requests, reviewers, approvals, changes_requested, rework_commits,
          force_pushes, size, changed_files, author_is_bot, computed_at)
        VALUES (@prId, @tenantId, @repositoryId, @openedAsDraft, @readyAt, @draftSeconds, @firstCommitAt, @firstReviewAt, @codingSeconds,
          @pickupSeconds, @reviewSeconds, @cycleSeconds, @timeToMergeSeconds, @reviewRequests, @reviewers, @approvals, @changesRequested, @reworkCommits,
          @forcePushes, @size, @changedFiles, @authorIsBot, @computedAt)
        ON CONFLICT (pr_id) DO UPDATE SET
          tenant_id = excluded.tenant_id, repository_id = excluded.repository_id, opened_as_draft = excluded.opened_as_draft, ready_at = excluded.ready_at,
          draft_seconds = excluded.draft_seconds, first_commit_at = excluded.first_commit_at, first_review_at = excluded.first_review_at,
          coding_seconds = excluded.coding_seconds, pickup_seconds = excluded.pickup_seconds, review_seconds = excluded.review_seconds,
          cycle_seconds = excluded.cycle_seconds, time_to_merge_seconds = excluded.time_to_merge_seconds, review_requests = excluded.review_requests,
          reviewers = excluded.reviewers, approvals = excluded.approvals, changes_requested = excluded.changes_requested,
          rework_commits = excluded.rework_commits, force_pushes = excluded.force_pushes, size = excluded.size, changed_files = excluded.changed_files,
          author_is_bot = excluded.author_is_bot, computed_at = excluded.computed_at
        RETURNING pr_id
        """, [L("prId"), L("tenantId"), L("repositoryId"), B("openedAsDraft"), T("readyAt"), L("draftSeconds"), T("firstCommitAt"), T("firstReviewAt"),
            L("codingSeconds"), L("pickupSeconds"), L("reviewSeconds"), L("cycleSeconds"), L("timeToMergeSeconds"), L("reviewRequests"), L("reviewers"),
            L("approvals"), L("changesRequested"), L("reworkCommits"), L("forcePushes"), L("size"), L("changedFiles"), B("authorIsBot"), T("computedAt")]);

    private sealed class PrRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public long RepositoryId { get; set; }
        public string? AuthorLogin { get; set; }
        public string? AuthorType { get; set; }
        public bool IsDraft { get; set; }
        public string State { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? MergedAt { get; set; }
        public long Additions { get; set; }
        public long Deletions { get; set; }
        public long ChangedFiles { get; set; }
    }

    private sealed class ChildRow
    {
        public long PrId { get; set; }
        public string? Kind { get; set; }
        public string? Login { get; set; }
        public string? Type { get; set; }
        public DateTimeOffset? At { get; set; }
    }
}
