using Npgsql;
using Polly;
using Polly.Retry;

namespace Pulse.Storage.Postgres;

/// <summary>
/// Runs a unit of work again from the start when PostgreSQL lost it: a lost deadlock or serialization
/// race (a few quick attempts), or the server away (restart, killed session) for up to
/// <see cref="PostgresRetryOptions.OutageTolerance"/>. A commit whose answer was lost is never run
/// again here (<see cref="CommitInDoubtException"/>): the caller's message is redelivered instead,
/// and the handlers' idempotence decides.
/// </summary>
internal sealed class PostgresRetry
{
    private static readonly ResiliencePropertyKey<long> Started = new("pulse.postgres.started");
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;

    public PostgresRetry(PostgresRetryOptions options, TimeProvider time, Action dropPooledSessions)
    {
        _time = time;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                // Bounded by time, not attempts: the server decides how long its restart takes.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsOutage(e)
                    && time.GetElapsedTime(args.Context.Properties.GetValue(Started, time.GetTimestamp())) < options.OutageTolerance),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = options.MaxBackoff,
                // Pooled sessions of a restarted server are all dead: drop them rather than meet them one by one.
                OnRetry = _ => { dropPooledSessions(); return default; },
            })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<PostgresException>(IsLostRace),
                MaxRetryAttempts = options.RaceAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                MaxDelay = TimeSpan.FromSeconds(1),
            })
            .Build();
    }

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(Started, _time.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(static async (c, w) => await w(c.CancellationToken), context, work);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static bool IsLostRace(PostgresException e) => e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    /// <summary>The server (or the way to it) is away for now: shutting down, starting up, sessions cut, connection refused.</summary>
    internal static bool IsOutage(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections   // every client reconnecting at once after a restart
            || p.SqlState.StartsWith("08", StringComparison.Ordinal),   // connection exception class
        NpgsqlException n => n.IsTransient,
        _ => false,
    };
}

/// <summary>The connection broke while the commit was on its way: it may or may not have happened, so it is not retried blindly.</summary>
public sealed class CommitInDoubtException(Exception inner)
    : Exception($"The connection to PostgreSQL broke during COMMIT; the transaction may or may not have been applied: {inner.Message}", inner);
