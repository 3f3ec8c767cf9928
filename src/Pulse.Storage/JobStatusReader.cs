using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pulse.Core.Jobs;

namespace Pulse.Storage;

/// <summary>The seed's status JSON of a job, built from its current run's stages and progress; etl_jobs.status keeps a copy.</summary>
internal static class JobStatusReader
{
    /// <summary>Keeps etl_jobs.status (the seed's JSON column) equal to what the stage tables say.</summary>
    public static async Task RefreshAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, long jobId)
    {
        var status = await BuildAsync(c, tx, jobId);
        await c.ExecuteAsync($"UPDATE etl_jobs SET status = {dialect.Json("@json")} WHERE id = @jobId", new { json = JsonSerializer.Serialize(status), jobId }, tx);
    }

    public static async Task<JobStatus> BuildAsync(DbConnection c, DbTransaction? tx, long jobId)
    {
        var job = await c.QuerySingleAsync<Head>(
            "SELECT overall AS Overall, current_run_id AS RunId, rate_limit_resume_at AS ResumeAt, error_message AS Error FROM etl_jobs WHERE id = @jobId", new { jobId }, tx);
        var stages = job.RunId is null ? [] : (await c.QueryAsync<(string Step, string Stage, string State)>(
            "SELECT step, stage, state FROM run_stages WHERE run_id = @RunId", new { job.RunId }, tx)).ToList();
        var progress = job.RunId is null ? [] : (await c.QueryAsync<(string Step, long Total, long Done, long Pages, long EmbedTotal, long EmbedDone)>(
            "SELECT step, items_total, items_done, pages, embed_total, embed_done FROM run_steps WHERE run_id = @RunId", new { job.RunId }, tx)).ToDictionary(p => p.Step);

        string StateOf(string step, Stage stage) =>
            stages.FirstOrDefault(s => s.Step == step && s.Stage == StageNames.Of(stage)).State ?? StageState.Idle;

        var steps = GitHubPrJob.Steps.ToDictionary(s => s.Name, s =>
        {
            var p = progress.GetValueOrDefault(s.Name);
            return new StepStatus(s.Order, s.DisplayName, StateOf(s.Name, Stage.Extract), StateOf(s.Name, Stage.Transform), StateOf(s.Name, Stage.Embed),
                new StepProgress(p.Done, Math.Max(p.Total, p.Done), p.Pages), new EmbedProgress(p.EmbedDone, Math.Max(p.EmbedTotal, p.EmbedDone)));
        });
        return new JobStatus(job.Overall, job.RunId, steps, job.ResumeAt, job.Error);
    }

    private sealed class Head
    {
        public string Overall { get; set; } = "";
        public long? RunId { get; set; }
        public DateTimeOffset? ResumeAt { get; set; }
        public string? Error { get; set; }
    }
}
