using Pulse.Core.Jobs;
using Pulse.Core.Storage;
using Pulse.Server.Auth;
using Pulse.Server.Jobs;

namespace Pulse.Server.Api;

/// <summary>The tenant's github_prs jobs: cards, details, Run Now, on/off, settings, reset, run history.</summary>
public static class JobsApi
{
    public sealed record SettingsInput(int? ScheduleIntervalMinutes, int? RetryIntervalMinutes);

    public sealed record ActiveInput(bool? Active);

    public static void MapJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/jobs").WithTags("Jobs");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapGet("/{id:long}/runs", RunsAsync);
        group.MapPost("/{id:long}/run-now", RunNowAsync);
        group.MapPost("/{id:long}/toggle-active", ToggleAsync);
        group.MapPost("/{id:long}/settings", SettingsAsync);
        group.MapPost("/{id:long}/reset", ResetAsync);
    }

    /// <summary>The job if it belongs to the caller's tenant; another tenant's job is as absent as a missing one.</summary>
    private static async Task<JobRecord?> FindAsync(HttpContext http, IJobStore jobs, long id, CancellationToken ct) =>
        await jobs.GetJobAsync(id, ct) is { } job && job.TenantId == ApiKeyAuthentication.TenantOf(http) && job.JobName == GitHubPrJob.Name ? job : null;

    private static async Task<IResult> ListAsync(HttpContext http, IJobStore jobs, JobViews views, CancellationToken ct)
    {
        var list = new List<JobView>();
        foreach (var job in await jobs.ListAsync(ApiKeyAuthentication.TenantOf(http), GitHubPrJob.Name, ct)) list.Add(await views.OfAsync(job, ct));
        return Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(long id, HttpContext http, IJobStore jobs, IRunStore runs, JobViews views, CancellationToken ct)
    {
        if (await FindAsync(http, jobs, id, ct) is not { } job) return Errors.NotFound("Job");
        var latest = await runs.ListRunsAsync(id, 1, ct);
        return Results.Ok(new { job = await views.OfAsync(job, ct), current_run = latest.FirstOrDefault() });
    }

    private static async Task<IResult> RunsAsync(long id, HttpContext http, IJobStore jobs, IRunStore runs, CancellationToken ct) =>
        await FindAsync(http, jobs, id, ct) is null ? Errors.NotFound("Job") : Results.Ok(await runs.ListRunsAsync(id, 50, ct));

    private static async Task<IResult> RunNowAsync(long id, HttpContext http, IJobStore jobs, JobRunner runner, JobViews views, CancellationToken ct)
    {
        if (await FindAsync(http, jobs, id, ct) is not { } job) return Errors.NotFound("Job");
        var (outcome, reason) = await runner.TryStartAsync(job, ct);
        return outcome switch
        {
            StartOutcome.Started => Results.Json(new { accepted = true, job = await views.OfAsync((await jobs.GetJobAsync(id, ct))!, ct) }, statusCode: StatusCodes.Status202Accepted),
            StartOutcome.AlreadyRunning => Errors.Conflict(reason!),
            _ => Errors.Bad(reason!),
        };
    }

    private static async Task<IResult> ToggleAsync(long id, HttpContext http, IJobStore jobs, JobViews views, RunCoordinator coordinator, CancellationToken ct)
    {
        if (await FindAsync(http, jobs, id, ct) is not { } job) return Errors.NotFound("Job");
        var (input, error) = await JsonBody.ReadAsync<ActiveInput>(http.Request, ct);
        if (error is not null) return error;
        if (input!.Active is not { } active) return Errors.Bad("active (true or false) is required.");
        await jobs.SetActiveAsync(id, active, null, ct);
        await coordinator.PublishStatusAsync(id, job.TenantId, ct);
        return Results.Ok(await views.OfAsync((await jobs.GetJobAsync(id, ct))!, ct));
    }

    private static async Task<IResult> SettingsAsync(long id, HttpContext http, IJobStore jobs, JobViews views, RunCoordinator coordinator,
        TimeProvider time, CancellationToken ct)
    {
        if (await FindAsync(http, jobs, id, ct) is not { } job) return Errors.NotFound("Job");
        var (input, error) = await JsonBody.ReadAsync<SettingsInput>(http.Request, ct);
        if (error is not null) return error;
        var schedule = input!.ScheduleIntervalMinutes ?? (int)job.ScheduleInterval.TotalMinutes;
        var retry = input.RetryIntervalMinutes ?? (int)job.RetryInterval.TotalMinutes;
        if (schedule is < 1 or > 525_600) return Errors.Bad("schedule_interval_minutes must be at least 1 (and at most a year).");
        if (retry < 1) return Errors.Bad("retry_interval_minutes must be at least 1.");
        if (retry >= schedule) return Errors.Bad("retry_interval_minutes must be less than schedule_interval_minutes.");
        var (s, r) = (TimeSpan.FromMinutes(schedule), TimeSpan.FromMinutes(retry));
        await jobs.UpdateSettingsAsync(id, s, r, JobSchedule.NextRunAfterSettings(job, s, r, time.GetUtcNow()), ct);
        await coordinator.PublishStatusAsync(id, job.TenantId, ct);
        return Results.Ok(await views.OfAsync((await jobs.GetJobAsync(id, ct))!, ct));
    }

    private static async Task<IResult> ResetAsync(long id, HttpContext http, IJobStore jobs, JobRunner runner, JobViews views,
        RunCoordinator coordinator, TimeProvider time, CancellationToken ct)
    {
        if (await FindAsync(http, jobs, id, ct) is not { } job) return Errors.NotFound("Job");
        if (runner.IsRunning(id) || job.Overall is OverallStatus.Running or OverallStatus.RateLimited)
            return Errors.Conflict("The job is running; it can be reset once it has finished or failed.");
        await jobs.ResetAsync(id, time.GetUtcNow() + job.ScheduleInterval, ct);
        await coordinator.PublishStatusAsync(id, job.TenantId, ct);
        return Results.Ok(await views.OfAsync((await jobs.GetJobAsync(id, ct))!, ct));
    }
}
