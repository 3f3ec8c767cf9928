using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

public abstract class WebhookDeliveryStoreContract : StoreContract
{
    private IWebhookDeliveryStore Deliveries => Services.GetRequiredService<IWebhookDeliveryStore>();

    private static NewWebhookDelivery Delivery(long tenant, long integration, string id, string status = WebhookStatus.Pending) =>
        new(tenant, integration, id, "pull_request", "edited", Encoding.UTF8.GetBytes("""{"action":"edited"}"""), status);

    [Fact]
    public async Task Record_SameDeliveryIdTwice_StoresItOnce()
    {
        var (job, _) = await NewJobAsync();
        Assert.True(await Deliveries.RecordAsync(Delivery(job.TenantId, job.IntegrationId, "d-1"), Ct));
        Assert.False(await Deliveries.RecordAsync(Delivery(job.TenantId, job.IntegrationId, "d-1"), Ct));

        var listed = Assert.Single(await Deliveries.ListAsync(job.TenantId, null, 10, Ct));
        Assert.Equal(("d-1", "pull_request", "edited", WebhookStatus.Pending, 0, Clock.GetUtcNow()),
            (listed.DeliveryId, listed.Event, listed.Action, listed.Status, listed.Attempts, listed.ReceivedAt));
        var open = Assert.Single(await Deliveries.ListOpenAsync(3, 10, Ct));
        Assert.Equal("""{"action":"edited"}""", Encoding.UTF8.GetString(open.Payload));
    }

    [Fact]
    public async Task FindSecret_SetThenRemoved_OnlyWhileSet()
    {
        var (job, _) = await NewJobAsync();
        Assert.Null(await Deliveries.FindSecretAsync(job.IntegrationId, Ct));
        await Stores.Integrations.UpdateAsync(job.TenantId, job.IntegrationId, new IntegrationChange(null, null, null, null) { ProtectedWebhookSecret = "sealed" }, Ct);
        Assert.Equal(new WebhookSecret(job.TenantId, job.IntegrationId, "sealed"), await Deliveries.FindSecretAsync(job.IntegrationId, Ct));
        Assert.True((await Stores.Integrations.GetAsync(job.TenantId, job.IntegrationId, Ct))!.HasWebhookSecret);

        await Stores.Integrations.UpdateAsync(job.TenantId, job.IntegrationId, new IntegrationChange(null, "org2", null, null), Ct);
        Assert.NotNull(await Deliveries.FindSecretAsync(job.IntegrationId, Ct));
        await Stores.Integrations.UpdateAsync(job.TenantId, job.IntegrationId, new IntegrationChange(null, null, null, null) { ProtectedWebhookSecret = "" }, Ct);
        Assert.Null(await Deliveries.FindSecretAsync(job.IntegrationId, Ct));
        Assert.Null(await Deliveries.FindSecretAsync(job.IntegrationId + 1000, Ct));
    }

    [Fact]
    public async Task Finish_FailedThenRetried_OpenAgainAfterItsRetryTimeUntilTheAttemptsRunOut()
    {
        var (job, _) = await NewJobAsync();
        await Deliveries.RecordAsync(Delivery(job.TenantId, job.IntegrationId, "d-1"), Ct);
        await Deliveries.RecordAsync(Delivery(job.TenantId, job.IntegrationId, "d-2"), Ct);
        await Deliveries.RecordAsync(Delivery(job.TenantId, job.IntegrationId, "ping-1", WebhookStatus.Ignored), Ct);
        var (first, second) = ((await Deliveries.ListOpenAsync(2, 10, Ct))[0], (await Deliveries.ListOpenAsync(2, 10, Ct))[1]);

        await Deliveries.FinishAsync([first.Id], WebhookStatus.Done, null, null, Ct);
        await Deliveries.FinishAsync([second.Id], WebhookStatus.Failed, "boom", Clock.GetUtcNow().AddSeconds(10), Ct);
        Assert.Empty(await Deliveries.ListOpenAsync(2, 10, Ct));
        Clock.Advance(TimeSpan.FromSeconds(10));
        var retried = Assert.Single(await Deliveries.ListOpenAsync(2, 10, Ct));
        Assert.Equal((second.Id, 1), (retried.Id, retried.Attempts));

        await Deliveries.FinishAsync([second.Id], WebhookStatus.Failed, "boom again", Clock.GetUtcNow(), Ct);
        Assert.Empty(await Deliveries.ListOpenAsync(2, 10, Ct));
        var failed = Assert.Single(await Deliveries.ListAsync(job.TenantId, WebhookStatus.Failed, 10, Ct));
        Assert.Equal(("boom again", 2, Clock.GetUtcNow()), (failed.Error, failed.Attempts, failed.FinishedAt));
        Assert.Equal(["ping-1", "d-2", "d-1"], (await Deliveries.ListAsync(job.TenantId, null, 10, Ct)).Select(d => d.DeliveryId));
    }

    [Fact]
    public async Task List_OtherTenant_SeesNone()
    {
        var (job, _) = await NewJobAsync();
        var (other, _) = await NewJobAsync("globex");
        await Deliveries.RecordAsync(Delivery(job.TenantId, job.IntegrationId, "d-1"), Ct);
        // The same delivery id at another integration is another delivery.
        Assert.True(await Deliveries.RecordAsync(Delivery(other.TenantId, other.IntegrationId, "d-1"), Ct));
        Assert.Equal([job.IntegrationId], (await Deliveries.ListAsync(job.TenantId, null, 10, Ct)).Select(d => d.IntegrationId));
        Assert.Equal([other.IntegrationId], (await Deliveries.ListAsync(other.TenantId, null, 10, Ct)).Select(d => d.IntegrationId));
    }

    [Fact]
    public async Task Resolve_ByNodeIdNumberOrHeadBranch_FindsOnlyThisIntegrationsPullRequests()
    {
        var (job, repository) = await NewJobAsync();
        var (other, _) = await NewJobAsync("globex");
        await Services.GetRequiredService<RelationalDatabase>().WriteAsync((c, tx) => c.ExecuteAsync("""
            INSERT INTO prs (tenant_id, repository_id, node_id, number, title, state, is_draft, head_ref_name, additions, deletions, changed_files,
              created_at, updated_at, commits_total, reviews_total, comments_total, review_threads_total, content_hash)
            VALUES (@tenant, @repo, @node, @number, 't', @state, FALSE, @head, 0, 0, 0, @now, @now, 0, 0, 0, 0, 'h')
            """, new[]
        {
            new { tenant = job.TenantId, repo = repository.Id, node = "PR_1", number = 1, state = "OPEN", head = "feature", now = Clock.GetUtcNow() },
            new { tenant = job.TenantId, repo = repository.Id, node = "PR_2", number = 2, state = "MERGED", head = "feature", now = Clock.GetUtcNow() },
        }, tx), Ct);

        async Task<string[]> Resolve(long tenant, long integration, PullRequestRef r) =>
            (await Deliveries.ResolveAsync(tenant, integration, [r], Ct)).Select(t => $"{t.RepositoryName}:{t.PullRequestNodeId}").ToArray();
        Assert.Equal(["api:PR_1"], await Resolve(job.TenantId, job.IntegrationId, new PullRequestRef("R_1", NodeId: "PR_1")));
        Assert.Equal(["api:PR_2"], await Resolve(job.TenantId, job.IntegrationId, new PullRequestRef("R_1", Number: 2)));
        Assert.Equal(["api:PR_1"], await Resolve(job.TenantId, job.IntegrationId, new PullRequestRef("R_1", HeadRef: "feature")));
        // A PR opened since the last sync resolves through its repository; an unknown repository, another tenant's PR or another integration to nothing.
        Assert.Equal(["api:PR_new"], await Resolve(job.TenantId, job.IntegrationId, new PullRequestRef("R_1", NodeId: "PR_new")));
        Assert.Empty(await Resolve(job.TenantId, job.IntegrationId, new PullRequestRef("R_unknown", NodeId: "PR_1")));
        Assert.Empty(await Resolve(other.TenantId, other.IntegrationId, new PullRequestRef("R_1", Number: 1)));
        Assert.Empty(await Resolve(job.TenantId, other.IntegrationId, new PullRequestRef("R_1", NodeId: "PR_1")));
        Assert.Empty(await Resolve(job.TenantId, job.IntegrationId, new PullRequestRef("R_1", Number: 99)));
    }

    [Fact]
    public async Task ListHeld_ThisTenantsPullRequests_CountsHeadWhenEveryCommitIsHeldAndThreadsWithTheirCommentCounts()
    {
        var (job, repository) = await NewJobAsync();
        var (other, otherRepository) = await NewJobAsync("globex");
        await Services.GetRequiredService<RelationalDatabase>().WriteAsync(async (c, tx) =>
        {
            foreach (var (tenant, repo, node) in new[] { (job.TenantId, repository.Id, "PR_1"), (job.TenantId, repository.Id, "PR_2"), (other.TenantId, otherRepository.Id, "PR_9") })
                await c.ExecuteAsync("""
                    INSERT INTO prs (tenant_id, repository_id, node_id, number, title, state, is_draft, additions, deletions, changed_files,
                      created_at, updated_at, commits_total, reviews_total, comments_total, review_threads_total, content_hash, head_ref_oid)
                    VALUES (@tenant, @repo, @node, 1, 't', 'OPEN', FALSE, 0, 0, 0, @now, @now, @commits, 3, @comments, 2, 'h', @head)
                    """, new { tenant, repo, node, now = Clock.GetUtcNow(), commits = node == "PR_1" ? 130 : 1, comments = node == "PR_2" ? 7 : 0, head = "H_" + node }, tx);
            // Every commit of PR_2 is held (1 of 1), a few of PR_1's (2 of 130).
            foreach (var (pr, oid) in new[] { ("PR_2", "c1"), ("PR_1", "c1"), ("PR_1", "c2") })
                await c.ExecuteAsync("""
                    INSERT INTO prs_commits (tenant_id, pr_id, oid, message, content_hash)
                    SELECT tenant_id, id, @oid, 'm', 'h' FROM prs WHERE tenant_id = @tenant AND node_id = @pr
                    """, new { tenant = job.TenantId, pr, oid }, tx);
            foreach (var (tenant, pr, thread, comments) in new[] { (job.TenantId, "PR_1", "T_1", 2), (job.TenantId, "PR_1", "T_2", 0), (other.TenantId, "PR_9", "T_9", 1) })
            {
                var threadId = await c.ExecuteScalarAsync<long>("""
                    INSERT INTO prs_review_threads (tenant_id, pr_id, node_id, is_resolved, is_outdated, is_collapsed)
                    SELECT tenant_id, id, @thread, FALSE, FALSE, FALSE FROM prs WHERE tenant_id = @tenant AND node_id = @pr RETURNING id
                    """, new { tenant, pr, thread }, tx);
                for (var i = 0; i < comments; i++)
                    await c.ExecuteAsync("""
                        INSERT INTO prs_comments (tenant_id, pr_id, node_id, comment_type, thread_id, body, created_at, content_hash)
                        SELECT tenant_id, pr_id, @node, 'review', id, 'b', @now, 'h' FROM prs_review_threads WHERE id = @threadId
                        """, new { node = $"{thread}_C{i}", threadId, now = Clock.GetUtcNow() }, tx);
            }
            return 0;
        }, Ct);

        var held = await Deliveries.ListHeldAsync(job.TenantId, ["PR_1", "PR_2", "PR_9", "PR_new"], Ct);

        // PR_2 holds no thread; PR_9 is another tenant's and PR_new not held, named here all the same.
        Assert.Equal(["PR_1:130:3:-:T_1=2,T_2=0", "PR_2:1:7:H_PR_2/1:"], held.Select(p =>
            $"{p.NodeId}:{p.Commits}:{p.LargestOtherConnection}:{(p.AllCommits is { } all ? $"{all.HeadOid}/{all.Count}" : "-")}:{string.Join(",", p.Threads.Select(t => $"{t.ThreadNodeId}={t.Comments}"))}"));
        Assert.Empty(await Deliveries.ListHeldAsync(job.TenantId, [], Ct));
    }
}

public sealed class SqliteWebhookDeliveryStoreContract : WebhookDeliveryStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresWebhookDeliveryStoreContract : WebhookDeliveryStoreContract
{
    protected override bool Postgres => true;
}
