using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalSchemaCheck(RelationalDatabase db) : ISchemaCheck
{
    public Task<string?> UnknownMigrationAsync(CancellationToken ct) => db.ReadAsync(async c =>
        await Migrations.UnknownAsync(c, db.KnownMigrations) is { } name
            ? $"the database {db.Label} now holds schema migration {name}, which this build of Pulse does not have: a newer Pulse migrated it. "
              + $"Upgrade Pulse on {Environment.MachineName} and start it again."
            : null, ct);
}
