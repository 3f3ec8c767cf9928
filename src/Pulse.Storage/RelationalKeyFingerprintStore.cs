using Dapper;
using Pulse.Core.Storage;

namespace Pulse.Storage;

public sealed class RelationalKeyFingerprintStore(RelationalDatabase db) : IKeyFingerprintStore
{
    public Task<string> ClaimAsync(string fingerprint, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // Two processes starting at once: the insert of one waits on the other's, then does nothing; both read the same row.
        await c.ExecuteAsync("INSERT INTO key_fingerprint (id, fingerprint, recorded_at) VALUES (1, @fingerprint, @now) ON CONFLICT (id) DO NOTHING",
            new { fingerprint, now = db.Now }, tx);
        return await c.ExecuteScalarAsync<string>("SELECT fingerprint FROM key_fingerprint WHERE id = 1", transaction: tx) ?? fingerprint;
    }, ct);
}
