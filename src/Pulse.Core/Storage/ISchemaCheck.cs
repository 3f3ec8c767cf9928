namespace Pulse.Core.Storage;

/// <summary>
/// Whether the database still has this build's schema. A newer Pulse may migrate a shared database while an older process
/// runs (a rolling upgrade, one host at a time): had the older one gone on, it would write rows the way the old schema wanted
/// and leave out whatever the new one adds.
/// </summary>
public interface ISchemaCheck
{
    /// <summary>One line naming a migration the database holds that this build does not have; null while the schema is this build's.</summary>
    Task<string?> UnknownMigrationAsync(CancellationToken ct);
}
