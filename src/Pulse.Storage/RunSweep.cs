using System.Data.Common;
using Dapper;
using Pulse.Core.Extract;
using Pulse.Core.Jobs;

namespace Pulse.Storage;

/// <summary>
/// What a step does once all its rows of the run are in: remove children GitHub no longer has
/// (only under PRs whose connections this run fetched completely), and derive the PR metrics (the last step, after every
/// other step's rows are in: <c>pr_metrics</c> of every PR the run touched).
/// </summary>
internal static class RunSweep
{
    public static async Task AfterTransformAsync(SqlDialect dialect, DbConnection c, DbTransaction tx, long runId, PipelineStep step, DateTimeOffset now, CancellationToken ct)
    {
        var kinds = dialect.List(Enum.GetValues<FetchKind>().Where(k => FetchKinds.StepOf(k) == step).Select(FetchKinds.Name));
        // PRs seen in this run, minus those whose fetch of this step failed: their children were not all re-read.
        var refetched = $"""
            SELECT p.id FROM prs p WHERE p.last_seen_run_id = @runId
              AND NOT EXISTS (SELECT 1 FROM checkpoints f WHERE f.run_id = @runId AND f.status = 'failed' AND {dialect.In("f.kind", "@kinds")} AND f.pr_node_id = p.node_id)
            """;
        var args = new { runId, kinds };
        if (step == GitHubPrJob.PullRequests)
        {
            await c.ExecuteAsync($"DELETE FROM prs_timeline_events WHERE last_seen_run_id <> @runId AND pr_id IN ({refetched})", args, tx);
            await c.ExecuteAsync($"DELETE FROM prs_labels WHERE last_seen_run_id <> @runId AND pr_id IN ({refetched})", args, tx);
        }
        if (step == GitHubPrJob.Commits) await DeleteStaleAsync(dialect, c, tx, "prs_commits", refetched, args);
        if (step == GitHubPrJob.Reviews) await DeleteStaleAsync(dialect, c, tx, "prs_reviews", refetched, args);
        if (step == GitHubPrJob.Comments)
        {
            await DeleteStaleAsync(dialect, c, tx, "prs_comments", refetched, args);
            await LinkReviewsAsync(c, tx, runId);
            await c.ExecuteAsync($"DELETE FROM prs_review_threads WHERE last_seen_run_id <> @runId AND pr_id IN ({refetched})", args, tx);
            await DeriveMetricsAsync(c, tx, runId);
            // Every PR whose rows this run wrote: a changed child moves its PR's updatedAt, so the PR was listed again.
            var integrationId = await c.ExecuteScalarAsync<long>("SELECT integration_id FROM etl_job_runs WHERE id = @runId", args, tx);
            await PrMetricsSweep.RecomputeAsync(dialect, c, tx, "SELECT id FROM prs WHERE last_seen_run_id = @runId", args, integrationId, now, ct);
        }
    }

    private static async Task DeleteStaleAsync(SqlDialect dialect, DbConnection c, DbTransaction tx, string table, string refetched, object args)
    {
        var gone = (await c.QueryAsync<long>($"DELETE FROM {table} WHERE last_seen_run_id <> @runId AND pr_id IN ({refetched}) RETURNING id", args, tx)).ToList();
        foreach (var chunk in gone.Chunk(500))
            await c.ExecuteAsync($"DELETE FROM embeddings WHERE table_name = @table AND {dialect.In("row_id", "@chunk")}", new { table, chunk = dialect.List(chunk) }, tx);
    }

    /// <summary>
    /// Points this run's review comments at their reviews. Done here, after the reviews step has ended, not as each comment
    /// is written: the comments transform runs beside the reviews transform. A review the comment belongs to may be
    /// invisible (another user's pending review): its key stays empty.
    /// </summary>
    private static Task LinkReviewsAsync(DbConnection c, DbTransaction tx, long runId) => c.ExecuteAsync("""
        UPDATE prs_comments SET review_id = (SELECT r.id FROM prs_reviews r WHERE r.tenant_id = prs_comments.tenant_id AND r.node_id = prs_comments.review_node_id)
        WHERE pr_id IN (SELECT id FROM prs WHERE last_seen_run_id = @runId) AND last_seen_run_id = @runId AND review_node_id IS NOT NULL
        """, new { runId }, tx);

    /// <summary>The original's PR metrics, from complete children: first review, review cycles, rework after review.</summary>
    private static Task DeriveMetricsAsync(DbConnection c, DbTransaction tx, long runId) => c.ExecuteAsync("""
        UPDATE prs SET
          commit_count = (SELECT count(*) FROM prs_commits x WHERE x.pr_id = prs.id),
          review_count = (SELECT count(*) FROM prs_reviews x WHERE x.pr_id = prs.id AND x.state <> 'PENDING'),
          issue_comment_count = (SELECT count(*) FROM prs_comments x WHERE x.pr_id = prs.id AND x.comment_type = 'issue'),
          review_comment_count = (SELECT count(*) FROM prs_comments x WHERE x.pr_id = prs.id AND x.comment_type = 'review'),
          first_review_at = (SELECT min(x.submitted_at) FROM prs_reviews x WHERE x.pr_id = prs.id AND x.submitted_at IS NOT NULL
                               AND x.state <> 'PENDING' AND (prs.author_login IS NULL OR x.author_login IS DISTINCT FROM prs.author_login)),
          review_cycles = (SELECT count(*) FROM prs_reviews x WHERE x.pr_id = prs.id AND x.state = 'CHANGES_REQUESTED')
        WHERE last_seen_run_id = @runId;
        UPDATE prs SET rework_commit_count = (SELECT count(*) FROM prs_commits x WHERE x.pr_id = prs.id
            AND prs.first_review_at IS NOT NULL AND x.committed_date > prs.first_review_at)
        WHERE last_seen_run_id = @runId;
        """, new { runId }, tx);
}
