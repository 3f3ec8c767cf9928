using System.Security.Cryptography;
using Dapper;
using Pulse.Core.GitHub.Auth;
using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Storage;

/// <summary>Installation tokens, encrypted with <paramref name="secrets"/>: the clear token is never written, logged or listed.</summary>
public sealed class RelationalInstallationTokenStore(RelationalDatabase db, ISecretProtector secrets) : IInstallationTokenStore
{
    public Task<InstallationToken?> GetAsync(string installationKey, CancellationToken ct) => db.ReadAsync(async c =>
        Read(await c.QuerySingleOrDefaultAsync<(string?, object?)>(
            "SELECT token_protected, expires_at FROM installation_tokens WHERE installation_key = @installationKey",
            new { installationKey })), ct);

    public Task<InstallationToken> GetOrMintAsync(string installationKey, DateTimeOffset validPast, string? rejected,
        Func<CancellationToken, Task<InstallationToken>> mint, CancellationToken ct) => db.WriteAsync(async (c, tx) =>
    {
        // The row exists before it is locked; a second process's insert waits here on the first's until that one commits.
        await c.ExecuteAsync("INSERT INTO installation_tokens (installation_key) VALUES (@installationKey) ON CONFLICT (installation_key) DO NOTHING",
            new { installationKey }, tx);
        // Held until commit (PostgreSQL: FOR UPDATE; SQLite: the one writer's lock): whoever asks meanwhile waits and then reads the new token.
        var stored = Read(await c.QuerySingleAsync<(string?, object?)>(
            $"SELECT token_protected, expires_at FROM installation_tokens WHERE installation_key = @installationKey{db.Dialect.ForUpdate}",
            new { installationKey }, tx));
        if (stored is not null && stored.ExpiresAt > validPast && stored.Token != rejected) return stored;
        var minted = await mint(ct);
        await c.ExecuteAsync("UPDATE installation_tokens SET token_protected = @token, expires_at = @ExpiresAt, minted_at = @now WHERE installation_key = @installationKey",
            new { installationKey, token = secrets.Protect(minted.Token), minted.ExpiresAt, now = db.Now }, tx);
        return minted;
    }, ct);

    private InstallationToken? Read((string? Protected, object? ExpiresAt) row)
    {
        if (row.Protected is not { } sealedToken || DbValues.TimeOrNull(row.ExpiresAt) is not { } expiresAt) return null;
        try
        {
            return new InstallationToken(secrets.Unprotect(sealedToken), expiresAt);
        }
        catch (CryptographicException)
        {
            // Sealed under another key (the start-up fingerprint check normally refuses that process): a token to replace, not an error.
            return null;
        }
    }
}
