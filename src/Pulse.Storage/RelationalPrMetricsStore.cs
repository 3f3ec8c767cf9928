using Dapper;
using Pulse.Core.Metrics;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalPrMetricsStore(RelationalDatabase db) : IPrMetricsStore
{
    public Task<IReadOnlyList<PrMetricsRecord>> ListAsync(PrMetricsQuery query, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var period = query.On == MetricsPeriodField.Ready ? "m.ready_at" : "p.merged_at";
        var rows = await c.QueryAsync<Row>($"""
            SELECT p.id AS PrId, r.full_name AS Repository, p.number AS Number, p.title AS Title, p.url AS Url, p.author_login AS Author, p.state AS State,
              p.is_draft AS IsDraft, p.created_at AS CreatedAt, p.merged_at AS MergedAt, m.opened_as_draft AS OpenedAsDraft, m.ready_at AS ReadyAt,
              m.draft_seconds AS DraftSeconds, m.first_commit_at AS FirstCommitAt, m.first_review_at AS FirstReviewAt, m.coding_seconds AS CodingSeconds,
              m.pickup_seconds AS PickupSeconds, m.review_seconds AS ReviewSeconds, m.cycle_seconds AS CycleSeconds,
              m.time_to_merge_seconds AS TimeToMergeSeconds, m.review_requests AS ReviewRequests, m.reviewers AS Reviewers, m.approvals AS Approvals,
              m.changes_requested AS ChangesRequested, m.rework_commits AS ReworkCommits, m.force_pushes AS ForcePushes, m.size AS Size,
              m.changed_files AS ChangedFiles, m.author_is_bot AS AuthorIsBot
            FROM pr_metrics m JOIN prs p ON p.id = m.pr_id JOIN repositories r ON r.id = p.repository_id
            WHERE m.tenant_id = @TenantId
              AND (@Repository IS NULL OR r.full_name = @Repository)
              AND (@Author IS NULL OR p.author_login = @Author)
              AND (@State IS NULL OR p.state = @State)
              AND (@From IS NULL OR {period} >= @From)
              AND (@To IS NULL OR {period} < @To)
            ORDER BY {period}, r.full_name, p.number
            """, new { query.TenantId, query.Repository, query.Author, query.State, query.From, query.To });
        return (IReadOnlyList<PrMetricsRecord>)rows.Select(r => r.ToRecord()).ToList();
    }, ct);

    public Task<IReadOnlyList<WaitingPr>> WaitingAsync(long tenantId, string? repository, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var prs = (await c.QueryAsync<Row>("""
            SELECT p.id AS PrId, r.full_name AS Repository, p.number AS Number, p.title AS Title, p.url AS Url, m.ready_at AS ReadyAt
            FROM pr_metrics m JOIN prs p ON p.id = m.pr_id JOIN repositories r ON r.id = p.repository_id
            WHERE m.tenant_id = @tenantId AND (@repository IS NULL OR r.full_name = @repository)
              AND p.state = 'OPEN' AND p.is_draft = FALSE AND m.ready_at IS NOT NULL AND m.first_review_at IS NULL
            ORDER BY m.ready_at, r.full_name, p.number
            """, new { tenantId, repository })).ToList();
        var requests = new Dictionary<long, List<(string, string?)>>();
        foreach (var chunk in prs.Select(p => p.PrId).Chunk(500))
            foreach (var (prId, type, reviewer) in await c.QueryAsync<(long, string, string?)>($"""
                SELECT pr_id, event_type, requested_reviewer FROM prs_timeline_events
                WHERE {db.Dialect.In("pr_id", "@chunk")} AND event_type IN ('REVIEW_REQUESTED_EVENT', 'REVIEW_REQUEST_REMOVED_EVENT')
                ORDER BY pr_id, created_at, id
                """, new { chunk = db.Dialect.List(chunk) }))
                (requests.TryGetValue(prId, out var list) ? list : requests[prId] = []).Add((type, reviewer));
        return (IReadOnlyList<WaitingPr>)prs.Select(p => new WaitingPr(p.Repository, p.Number, p.Title, p.Url, p.ReadyAt!.Value,
            RequestedReviewers.Current(requests.GetValueOrDefault(p.PrId) ?? []))).ToList();
    }, ct);

    public Task<int> RecomputeAsync(long tenantId, long integrationId, CancellationToken ct) => db.WriteAsync((c, tx) =>
        PrMetricsSweep.RecomputeAsync(db.Dialect, c, tx, """
            SELECT p.id FROM prs p JOIN repositories r ON r.id = p.repository_id
            WHERE p.tenant_id = @tenantId AND r.integration_id = @integrationId AND r.tenant_id = @tenantId
            """, new { tenantId, integrationId }, integrationId, db.Now, ct), ct);

    private sealed class Row
    {
        public long PrId { get; set; }
        public string Repository { get; set; } = "";
        public int Number { get; set; }
        public string Title { get; set; } = "";
        public string? Url { get; set; }
        public string? Author { get; set; }
        public string State { get; set; } = "";
        public bool IsDraft { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? MergedAt { get; set; }
        public bool OpenedAsDraft { get; set; }
        public DateTimeOffset? ReadyAt { get; set; }
        public long? DraftSeconds { get; set; }
        public DateTimeOffset? FirstCommitAt { get; set; }
        public DateTimeOffset? FirstReviewAt { get; set; }
        public long? CodingSeconds { get; set; }
        public long? PickupSeconds { get; set; }
        public long? ReviewSeconds { get; set; }
        public long? CycleSeconds { get; set; }
        public long? TimeToMergeSeconds { get; set; }
        public long ReviewRequests { get; set; }
        public long Reviewers { get; set; }
        public long Approvals { get; set; }
        public long ChangesRequested { get; set; }
        public long? ReworkCommits { get; set; }
        public long ForcePushes { get; set; }
        public long Size { get; set; }
        public long ChangedFiles { get; set; }
        public bool AuthorIsBot { get; set; }

        public PrMetricsRecord ToRecord() => new(PrId, Repository, Number, Title, Url, Author, State, IsDraft, CreatedAt, MergedAt, new PrMetrics(
            OpenedAsDraft, ReadyAt, DraftSeconds, FirstCommitAt, FirstReviewAt, CodingSeconds, PickupSeconds, ReviewSeconds, CycleSeconds, TimeToMergeSeconds,
            ReviewRequests, Reviewers, Approvals, ChangesRequested, ReworkCommits, ForcePushes, Size, ChangedFiles, AuthorIsBot));
    }
}
