using System.ComponentModel.DataAnnotations;

namespace Pulse.Storage.Postgres;

/// <summary>How long a unit of work keeps being run again when PostgreSQL is busy or away.</summary>
public sealed record PostgresRetryOptions
{
    /// <summary>Attempts of one transaction that keeps losing deadlock or serialization races. Default 8.</summary>
    [Range(1, 100)]
    public int RaceAttempts { get; init; } = 8;

    /// <summary>
    /// How long the server may be unreachable (restarting, failing over, sessions killed) before the
    /// work fails instead of waiting for it. Default 2 min: a restart, not an outage someone must fix.
    /// </summary>
    public TimeSpan OutageTolerance { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest pause between two attempts while the server is away. Default 2 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);
}
