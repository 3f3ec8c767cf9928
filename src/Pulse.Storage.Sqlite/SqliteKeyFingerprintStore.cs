using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage.Sqlite;

public sealed class SqliteKeyFingerprintStore(SqliteDatabase db) : IKeyFingerprintStore
{
    public Task<string> ClaimAsync(string fingerprint, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        await c.ExecuteAsync("INSERT INTO key_fingerprint (id, fingerprint, recorded_at) VALUES (1, @fingerprint, @now) ON CONFLICT (id) DO NOTHING",
            new { fingerprint, now = SqliteDatabase.Iso(DateTimeOffset.UtcNow) }, tx);
        return await c.ExecuteScalarAsync<string>("SELECT fingerprint FROM key_fingerprint WHERE id = 1", transaction: tx) ?? fingerprint;
    }, ct);
}
