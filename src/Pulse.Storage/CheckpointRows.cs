using System.Data;
using System.Data.Common;
using Pulse.Core.Extract;

namespace Pulse.Storage;

/// <summary>Inserting checkpoints, shared by a run's start and every page that reveals more work.</summary>
internal static class CheckpointRows
{
    // The same connection can be revealed twice (a PR that moved between listing pages): the first is kept.
    private static readonly SqlBatch Insert = new("checkpoint.insert", """
        INSERT INTO checkpoints (tenant_id, run_id, repository_id, kind, parent_node_id, pr_node_id, cursor, remaining, since, page_size,
          held_head_oid, held_commits)
        VALUES (@tenantId, @runId, @repositoryId, @kind, @parent, @pr, @cursor, @remaining, @since, @pageSize, @heldHead, @heldCommits)
        ON CONFLICT (run_id, kind, parent_node_id) DO NOTHING
        """, [("tenantId", DbType.Int64), ("runId", DbType.Int64), ("repositoryId", DbType.Int64), ("kind", DbType.String), ("parent", DbType.String),
            ("pr", DbType.String), ("cursor", DbType.String), ("remaining", DbType.Int64), ("since", DbType.DateTimeOffset), ("pageSize", DbType.Int64),
            ("heldHead", DbType.String), ("heldCommits", DbType.Int64)]);

    public static Task InsertAsync(SqlDialect dialect, DbConnection c, DbTransaction tx, long tenantId, long runId, IReadOnlyList<NewCheckpoint> checkpoints,
        int pageSize, CancellationToken ct) =>
        checkpoints.Count == 0 ? Task.CompletedTask : dialect.RunManyAsync(c, tx, Insert, checkpoints.Select(n => new object?[]
        {
            tenantId, runId, n.RepositoryId, FetchKinds.Name(n.Kind), n.ParentNodeId, n.PullRequestNodeId, n.Cursor, n.Remaining, n.Since, (long)pageSize,
            n.HeldCommits?.HeadOid, n.HeldCommits?.Count,
        }).ToList(), ct);
}
