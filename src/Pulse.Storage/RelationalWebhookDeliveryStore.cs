using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalWebhookDeliveryStore(RelationalDatabase db) : IWebhookDeliveryStore
{
    private const string Columns = """
        id AS Id, integration_id AS IntegrationId, delivery_id AS DeliveryId, event AS Event, action AS Action, received_at AS ReceivedAt,
        status AS Status, error AS Error, attempts AS Attempts, finished_at AS FinishedAt
        """;

    public Task<WebhookSecret?> FindSecretAsync(long integrationId, CancellationToken ct) => db.ReadAsync(async c =>
    {
        var row = await c.QuerySingleOrDefaultAsync<(long TenantId, string? Secret)>(
            "SELECT tenant_id, webhook_secret_protected FROM integrations WHERE id = @integrationId", new { integrationId });
        return row.Secret is { Length: > 0 } secret ? new WebhookSecret(row.TenantId, integrationId, secret) : null;
    }, ct);

    public Task<bool> RecordAsync(NewWebhookDelivery d, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync("""
            INSERT INTO webhook_deliveries (tenant_id, integration_id, delivery_id, event, action, received_at, payload, status, finished_at)
            VALUES (@TenantId, @IntegrationId, @DeliveryId, @Event, @Action, @now, @Payload, @Status, @finished)
            ON CONFLICT (integration_id, delivery_id) DO NOTHING
            """, new { d.TenantId, d.IntegrationId, d.DeliveryId, d.Event, d.Action, d.Payload, d.Status, now = db.Now,
                finished = d.Status == WebhookStatus.Ignored ? db.Now : (DateTimeOffset?)null }, tx) > 0, ct);

    public Task<IReadOnlyList<OpenWebhookDelivery>> ListOpenAsync(int maxAttempts, int limit, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<OpenWebhookDelivery>)(await c.QueryAsync<OpenRow>("""
            SELECT id AS Id, tenant_id AS TenantId, integration_id AS IntegrationId, delivery_id AS DeliveryId, event AS Event, payload AS Payload, attempts AS Attempts
            FROM webhook_deliveries
            WHERE status = 'pending' OR (status = 'failed' AND attempts < @maxAttempts AND retry_at <= @now)
            ORDER BY id LIMIT @limit
            """, new { maxAttempts, limit, now = db.Now })).Select(r => new OpenWebhookDelivery(r.Id, r.TenantId, r.IntegrationId, r.DeliveryId, r.Event, r.Payload, r.Attempts))
            .ToList(), ct);

    public Task FinishAsync(IReadOnlyList<long> ids, string status, string? error, DateTimeOffset? retryAt, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
        await c.ExecuteAsync($"""
            UPDATE webhook_deliveries SET status = @status, error = @error, retry_at = @retryAt, finished_at = @now,
              attempts = attempts + CASE WHEN @status = 'failed' THEN 1 ELSE 0 END
            WHERE {db.Dialect.In("id", "@ids")}
            """, new { ids = db.Dialect.List(ids), status, error, retryAt, now = db.Now }, tx), ct);

    public Task<IReadOnlyList<WebhookDelivery>> ListAsync(long tenantId, string? status, int limit, CancellationToken ct) => db.ReadAsync(async c =>
        (IReadOnlyList<WebhookDelivery>)(await c.QueryAsync<Row>($"""
            SELECT {Columns} FROM webhook_deliveries WHERE tenant_id = @tenantId AND (@status IS NULL OR status = @status) ORDER BY id DESC LIMIT @limit
            """, new { tenantId, status, limit })).Select(r => r.ToDelivery()).ToList(), ct);

    public Task<IReadOnlyList<RefreshTarget>> ResolveAsync(long tenantId, long integrationId, IReadOnlyList<PullRequestRef> refs, CancellationToken ct) =>
        db.ReadAsync(async c =>
        {
            var found = new List<RefreshTarget>();
            foreach (var r in refs)
            {
                var args = new { tenantId, integrationId, repo = r.RepositoryNodeId, node = r.NodeId, number = (long?)r.Number, head = r.HeadRef };
                // Only PRs of repositories this integration syncs: an id from another tenant's or integration's data resolves to nothing.
                var stored = await c.QueryAsync<(long, string, string)>("""
                    SELECT p.repository_id, r.name, p.node_id
                    FROM prs p JOIN repositories r ON r.id = p.repository_id
                    WHERE r.tenant_id = @tenantId AND r.integration_id = @integrationId AND r.node_id = @repo
                      AND (p.node_id = @node OR p.number = @number OR (p.head_ref_name = @head AND p.state = 'OPEN'))
                    """, args);
                var before = found.Count;
                found.AddRange(stored.Select(t => new RefreshTarget(t.Item1, t.Item2, t.Item3)));
                if (found.Count > before || r.NodeId is null) continue;
                // A PR opened since the last sync: its repository is known, the PR not yet.
                found.AddRange((await c.QueryAsync<(long, string)>("""
                    SELECT id, name FROM repositories WHERE tenant_id = @tenantId AND integration_id = @integrationId AND node_id = @repo AND active = TRUE
                    """, args)).Select(t => new RefreshTarget(t.Item1, t.Item2, r.NodeId)));
            }
            return (IReadOnlyList<RefreshTarget>)found.DistinctBy(t => t.PullRequestNodeId).ToList();
        }, ct);

    public Task<IReadOnlyList<HeldPullRequest>> ListHeldAsync(long tenantId, IReadOnlyList<string> pullRequestNodeIds, CancellationToken ct) =>
        pullRequestNodeIds.Count == 0 ? Task.FromResult<IReadOnlyList<HeldPullRequest>>([]) : db.ReadAsync(async c =>
        {
            var args = new { tenantId, ids = db.Dialect.List(pullRequestNodeIds) };
            var threads = (await c.QueryAsync<(string Pr, string Thread, long Comments)>($"""
                SELECT p.node_id, t.node_id, (SELECT count(*) FROM prs_comments m WHERE m.pr_id = p.id AND m.thread_id = t.id)
                FROM prs p JOIN prs_review_threads t ON t.pr_id = p.id
                WHERE p.tenant_id = @tenantId AND {db.Dialect.In("p.node_id", "@ids")}
                ORDER BY t.id
                """, args)).ToLookup(t => t.Pr, t => new HeldThread(t.Thread, t.Comments));
            var prs = await c.QueryAsync<(string NodeId, string? Head, long Commits, long Stored, long Reviews, long Comments, long Threads)>($"""
                SELECT node_id, head_ref_oid, commits_total, (SELECT count(*) FROM prs_commits m WHERE m.pr_id = prs.id), reviews_total, comments_total,
                  review_threads_total
                FROM prs WHERE tenant_id = @tenantId AND {db.Dialect.In("node_id", "@ids")} ORDER BY id
                """, args);
            return (IReadOnlyList<HeldPullRequest>)prs.Select(p => new HeldPullRequest(p.NodeId, p.Commits, new[] { p.Reviews, p.Comments, p.Threads }.Max(),
                p.Head is { } head && p.Stored == p.Commits ? new HeldCommits(head, p.Commits) : null, [.. threads[p.NodeId]])).ToList();
        }, ct);

    private sealed class Row
    {
        public long Id { get; set; }
        public long IntegrationId { get; set; }
        public string DeliveryId { get; set; } = "";
        public string Event { get; set; } = "";
        public string? Action { get; set; }
        public DateTimeOffset ReceivedAt { get; set; }
        public string Status { get; set; } = "";
        public string? Error { get; set; }
        public int Attempts { get; set; }
        public DateTimeOffset? FinishedAt { get; set; }

        public WebhookDelivery ToDelivery() => new(Id, IntegrationId, DeliveryId, Event, Action, ReceivedAt, Status, Error, Attempts, FinishedAt);
    }

    private sealed class OpenRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public long IntegrationId { get; set; }
        public string DeliveryId { get; set; } = "";
        public string Event { get; set; } = "";
        public byte[] Payload { get; set; } = [];
        public int Attempts { get; set; }
    }
}
