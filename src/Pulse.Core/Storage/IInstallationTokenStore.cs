using Pulse.Core.GitHub.Auth;

namespace Pulse.Core.Storage;

/// <summary>
/// GitHub App installation tokens kept where every worker of every process finds them (the database, encrypted with the
/// deployment's secret key), so that one token serves them all until it is due, and one process asks GitHub for the next.
/// </summary>
public interface IInstallationTokenStore
{
    /// <summary>The stored token of the installation (by its key), or null. Reads only: nobody waits on it.</summary>
    Task<InstallationToken?> GetAsync(string installationKey, CancellationToken ct);

    /// <summary>
    /// The stored token when it expires after <paramref name="validPast"/> and is not <paramref name="rejected"/>; otherwise
    /// <paramref name="mint"/>'s, stored before it is returned. The installation's row is held from the look to the store, so
    /// processes asking at once wait for the first one's token: one mint per expiry (two only if the database fails mid-mint
    /// and the whole is run again, and both tokens are valid).
    /// </summary>
    Task<InstallationToken> GetOrMintAsync(string installationKey, DateTimeOffset validPast, string? rejected,
        Func<CancellationToken, Task<InstallationToken>> mint, CancellationToken ct);
}
