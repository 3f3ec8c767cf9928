using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Tests.Contracts;

public abstract class PrMetricsStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);   // a Monday: 2026-W02

    [Fact]
    public async Task Recompute_ThenList_EveryFilterAndTenantIsolation()
    {
        var (job, repository) = await NewJobAsync();
        var merged = await PrAsync(job.TenantId, repository.Id, 1, "MERGED", "alice", mergedAt: T0.AddHours(10));
        var open = await PrAsync(job.TenantId, repository.Id, 2, "OPEN", "dave");
        await PrAsync(job.TenantId, repository.Id, 3, "OPEN", "erin", isDraft: true);
        await ChildrenAsync(job.TenantId, merged, open);

        Assert.Empty(await Stores.PrMetrics.ListAsync(new PrMetricsQuery(job.TenantId), Ct));
        Assert.Equal(3, await Stores.PrMetrics.RecomputeAsync(job.TenantId, job.IntegrationId, Ct));

        var all = await Stores.PrMetrics.ListAsync(new PrMetricsQuery(job.TenantId), Ct);
        Assert.Equal([1, 2, 3], all.Select(r => r.Number).Order());
        var first = all.Single(r => r.Number == 1);
        Assert.Equal(("org/api", "alice", "MERGED", T0.AddHours(10)), (first.Repository, first.Author, first.State, first.MergedAt!.Value));
        Assert.Equal(T0.AddHours(2), first.Metrics.FirstReviewAt);
        Assert.Equal(T0.AddHours(-1), first.Metrics.FirstCommitAt);
        Assert.Equal(8 * 3600, first.Metrics.ReviewSeconds);
        Assert.Equal(11 * 3600, first.Metrics.CycleSeconds);
        Assert.Equal(1, first.Metrics.ReviewRequests);
        Assert.Equal(1, first.Metrics.ForcePushes);
        Assert.Equal(1, first.Metrics.ReworkCommits);
        Assert.True(all.Single(r => r.Number == 3).Metrics.OpenedAsDraft);
        Assert.Null(all.Single(r => r.Number == 3).Metrics.ReadyAt);

        var q = new PrMetricsQuery(job.TenantId);
        Assert.Equal([1], (await Stores.PrMetrics.ListAsync(q with { State = "MERGED" }, Ct)).Select(r => r.Number));
        Assert.Equal([2], (await Stores.PrMetrics.ListAsync(q with { Author = "dave" }, Ct)).Select(r => r.Number));
        Assert.Equal(3, (await Stores.PrMetrics.ListAsync(q with { Repository = "org/api" }, Ct)).Count);
        Assert.Empty(await Stores.PrMetrics.ListAsync(q with { Repository = "org/web" }, Ct));
        Assert.Equal([1], (await Stores.PrMetrics.ListAsync(q with { From = T0.AddHours(10), To = T0.AddHours(11) }, Ct)).Select(r => r.Number));
        Assert.Empty(await Stores.PrMetrics.ListAsync(q with { From = T0.AddHours(9), To = T0.AddHours(10) }, Ct));   // to is exclusive
        Assert.Equal([1, 2], (await Stores.PrMetrics.ListAsync(q with { On = MetricsPeriodField.Ready, From = T0 }, Ct)).Select(r => r.Number).Order());

        var other = await NewJobAsync("globex");
        Assert.Empty(await Stores.PrMetrics.ListAsync(new PrMetricsQuery(other.Job.TenantId), Ct));
        Assert.Equal(0, await Stores.PrMetrics.RecomputeAsync(other.Job.TenantId, job.IntegrationId, Ct));
        Assert.Empty(await Stores.PrMetrics.WaitingAsync(other.Job.TenantId, null, Ct));
    }

    [Fact]
    public async Task Waiting_ReadyOpenUnreviewed_WithCurrentRequestsOldestFirst()
    {
        var (job, repository) = await NewJobAsync();
        var merged = await PrAsync(job.TenantId, repository.Id, 1, "MERGED", "alice", mergedAt: T0.AddHours(10));
        var open = await PrAsync(job.TenantId, repository.Id, 2, "OPEN", "dave");
        await PrAsync(job.TenantId, repository.Id, 3, "OPEN", "erin", isDraft: true);
        var older = await PrAsync(job.TenantId, repository.Id, 4, "OPEN", "fay", created: T0.AddDays(-3));
        await ChildrenAsync(job.TenantId, merged, open);
        await Stores.PrMetrics.RecomputeAsync(job.TenantId, job.IntegrationId, Ct);

        var waiting = await Stores.PrMetrics.WaitingAsync(job.TenantId, null, Ct);

        Assert.Equal([4, 2], waiting.Select(w => w.Number));
        Assert.Equal(T0.AddDays(-3), waiting[0].ReadyAt);
        Assert.Equal(["backend"], waiting[1].RequestedReviewers);   // carol was asked, then not
        Assert.Empty(await Stores.PrMetrics.WaitingAsync(job.TenantId, "org/web", Ct));
        _ = older;
    }

    [Fact]
    public async Task Recompute_AfterTheBotListChanged_LeavesThoseReviewersOut()
    {
        var (job, repository) = await NewJobAsync();
        var merged = await PrAsync(job.TenantId, repository.Id, 1, "MERGED", "alice", mergedAt: T0.AddHours(10));
        var open = await PrAsync(job.TenantId, repository.Id, 2, "OPEN", "dave");
        await ChildrenAsync(job.TenantId, merged, open);
        await Stores.PrMetrics.RecomputeAsync(job.TenantId, job.IntegrationId, Ct);

        await Stores.Integrations.UpdateAsync(job.TenantId, job.IntegrationId, new IntegrationChange(null, null, null, new IntegrationSettings { BotLogins = ["BOB", "alice"] }), Ct);
        await Stores.PrMetrics.RecomputeAsync(job.TenantId, job.IntegrationId, Ct);

        var pr = (await Stores.PrMetrics.ListAsync(new PrMetricsQuery(job.TenantId, State: "MERGED"), Ct)).Single();
        Assert.Equal(T0.AddHours(3), pr.Metrics.FirstReviewAt);   // bob's review is a bot's now; the review comment of zed counts
        Assert.Equal(0, pr.Metrics.Reviewers);
        Assert.True(pr.Metrics.AuthorIsBot);
    }

    /// <summary>A PR row as the transform writes it; opened ready unless <paramref name="isDraft"/>.</summary>
    private Task<long> PrAsync(long tenantId, long repositoryId, int number, string state, string author, bool isDraft = false, DateTimeOffset? mergedAt = null,
        DateTimeOffset? created = null) => Database.WriteAsync((c, tx) => c.ExecuteScalarAsync<long>("""
            INSERT INTO prs (tenant_id, repository_id, node_id, number, title, state, is_draft, author_login, author_type, additions, deletions, changed_files,
              created_at, updated_at, merged_at, closed_at, commits_total, reviews_total, comments_total, review_threads_total, content_hash)
            VALUES (@tenantId, @repositoryId, @node, @number, @title, @state, @isDraft, @author, 'User', 7, 3, 2, @created, @created, @mergedAt, @mergedAt, 0, 0, 0, 0, 'h')
            RETURNING id
            """, new { tenantId, repositoryId, node = $"PR_{tenantId}_{number}", number = (long)number, title = $"PR {number}", state, isDraft, author, created = created ?? T0, mergedAt }, tx), Ct);

    /// <summary>Commits, a review, a review comment and events of PR 1 (merged) and review requests of PR 2 (open).</summary>
    private Task ChildrenAsync(long tenantId, long merged, long open) => Database.WriteAsync(async (c, tx) =>
    {
        foreach (var (oid, at) in new[] { ("a1", T0.AddHours(-1)), ("a2", T0.AddHours(4)) })
            await c.ExecuteAsync("""
                INSERT INTO prs_commits (tenant_id, pr_id, oid, message, authored_date, committed_date, content_hash) VALUES (@tenantId, @merged, @oid, 'm', @at, @at, 'h')
                """, new { tenantId, merged, oid, at }, tx);
        await c.ExecuteAsync("""
            INSERT INTO prs_reviews (tenant_id, pr_id, node_id, author_login, author_type, state, body, created_at, submitted_at, content_hash)
            VALUES (@tenantId, @merged, @node, 'bob', 'User', 'APPROVED', '', @at, @at, 'h')
            """, new { tenantId, merged, node = $"PRR_{tenantId}", at = T0.AddHours(2) }, tx);
        await c.ExecuteAsync("""
            INSERT INTO prs_comments (tenant_id, pr_id, node_id, comment_type, author_login, author_type, body, created_at, content_hash)
            VALUES (@tenantId, @merged, @node, 'review', 'zed', 'User', 'nit', @at, 'h')
            """, new { tenantId, merged, node = $"PRRC_{tenantId}", at = T0.AddHours(3) }, tx);
        var events = new (long Pr, string Type, string? Reviewer, double Hours)[]
        {
            (merged, "REVIEW_REQUESTED_EVENT", "bob", 1), (merged, "HEAD_REF_FORCE_PUSHED_EVENT", null, 5), (merged, "MERGED_EVENT", null, 10),
            (open, "REVIEW_REQUESTED_EVENT", "carol", 1), (open, "REVIEW_REQUESTED_EVENT", "backend", 2), (open, "REVIEW_REQUEST_REMOVED_EVENT", "carol", 3),
        };
        for (var i = 0; i < events.Length; i++)
            await c.ExecuteAsync("""
                INSERT INTO prs_timeline_events (tenant_id, pr_id, node_id, event_type, requested_reviewer, created_at) VALUES (@tenantId, @pr, @node, @type, @reviewer, @at)
                """, new { tenantId, pr = events[i].Pr, node = $"E_{tenantId}_{i}", type = events[i].Type, reviewer = events[i].Reviewer, at = T0.AddHours(events[i].Hours) }, tx);
        return 0;
    }, Ct);
}

public sealed class SqlitePrMetricsStoreContract : PrMetricsStoreContract
{
    protected override bool Postgres => false;
}

public sealed class PostgresPrMetricsStoreContract : PrMetricsStoreContract
{
    protected override bool Postgres => true;
}
