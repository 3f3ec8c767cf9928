namespace Pulse.Core.Storage;

/// <summary>
/// The fingerprint of the secret key a database was set up with (never the key): every process that opens the database
/// with another key is refused at start, instead of failing on each token it cannot decrypt.
/// </summary>
public interface IKeyFingerprintStore
{
    /// <summary>Records <paramref name="fingerprint"/> if the database has none yet; returns the one it has (the first recorded wins).</summary>
    Task<string> ClaimAsync(string fingerprint, CancellationToken ct);
}
