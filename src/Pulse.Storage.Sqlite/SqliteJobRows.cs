using System.Globalization;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

/// <summary>Reading etl_jobs rows, shared by the job store and the server's job control store.</summary>
internal static class SqliteJobRows
{
    public const string Columns = """
        id AS Id, tenant_id AS TenantId, integration_id AS IntegrationId, job_name AS JobName, overall AS Overall, active AS Active,
        schedule_interval_minutes AS ScheduleMinutes, retry_interval_minutes AS RetryMinutes, last_sync_date AS LastSyncDate,
        last_run_started_at AS LastRunStartedAt, last_run_finished_at AS LastRunFinishedAt, next_run AS NextRun,
        error_message AS Error, retry_count AS RetryCount, current_run_id AS CurrentRunId
        """;

    /// <summary>Timestamps are written both as ISO text and by SQLite's datetime() ("YYYY-MM-DD HH:MM:SS", UTC): read both.</summary>
    public static DateTimeOffset? ParseLoose(string? value) =>
        value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    internal sealed class JobRow
    {
        public long Id { get; set; }
        public long TenantId { get; set; }
        public long IntegrationId { get; set; }
        public string JobName { get; set; } = "";
        public string Overall { get; set; } = "";
        public bool Active { get; set; }
        public long ScheduleMinutes { get; set; }
        public long RetryMinutes { get; set; }
        public string? LastSyncDate { get; set; }
        public string? LastRunStartedAt { get; set; }
        public string? LastRunFinishedAt { get; set; }
        public string? NextRun { get; set; }
        public string? Error { get; set; }
        public long RetryCount { get; set; }
        public long? CurrentRunId { get; set; }

        public JobRecord ToRecord() => new(Id, TenantId, IntegrationId, JobName, Overall, Active, TimeSpan.FromMinutes(ScheduleMinutes),
            TimeSpan.FromMinutes(RetryMinutes), ParseLoose(LastSyncDate), ParseLoose(LastRunStartedAt), ParseLoose(LastRunFinishedAt), ParseLoose(NextRun),
            Error, (int)RetryCount, CurrentRunId);
    }
}
