using Npgsql;
using Pulse.Storage.Postgres;
using RabbitMQ.Client.Exceptions;

namespace Pulse.Cli;

/// <summary>
/// One clear line when the database or the broker stayed away longer than the work waits for it
/// (a restart is waited out; this is an outage someone must fix). Nothing is lost: the run stays
/// open in the database and the next <c>pulse sync</c> resumes it from its checkpoints.
/// </summary>
public static class OutageFailure
{
    public const string Resume = "the run stays open; start `pulse sync` again once it is back and the run resumes from its checkpoints";

    public static string? Describe(Exception e) => e switch
    {
        CommitInDoubtException d => $"PostgreSQL went away during a commit and stayed away: {d.InnerException?.Message}",
        NpgsqlException n when n.IsTransient || n is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow } =>
            $"PostgreSQL stayed unreachable longer than a restart takes: {n.Message}",
        AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException => $"RabbitMQ stayed unreachable longer than a restart takes: {e.Message}",
        _ => null,
    };
}
