using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>
/// The applied migrations against this build's (<see cref="Migrations.UnknownAsync"/>, the detection the start-time refusal
/// uses), read again on every beat of a running process; the message names the host to upgrade, since runs waiting on this
/// process's stages quote it.
/// </summary>
public sealed class RelationalSchemaCheck(RelationalDatabase db) : ISchemaCheck
{
    public Task<string?> UnknownMigrationAsync(CancellationToken ct) => db.ReadAsync(async c =>
        await Migrations.UnknownAsync(c, db.KnownMigrations) is { } name
            ? $"the database {db.Label} now holds schema migration {name}, which this build of Pulse does not have: a newer Pulse migrated it. "
              + $"Upgrade Pulse on {Environment.MachineName} and start it again."
            : null, ct);
}
