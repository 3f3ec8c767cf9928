using Pulse.Core.Security;
using Pulse.Core.Storage;

namespace Pulse.Hosting;

/// <summary>
/// The rules for the key that encrypts stored tokens. Distributed mode needs PULSE_SECRET_KEY, the same on every process;
/// the embedded default may keep it in a key file beside the database. Either way the database remembers the key's
/// fingerprint and refuses a process holding another one.
/// </summary>
public static class SecretKeys
{
    public const string Variable = "PULSE_SECRET_KEY";

    public const string Required = $"{Variable} is not set: every process sharing a PostgreSQL database (sync, serve, worker) must hold the same key "
        + "to read the tokens stored in it; generate one once with `head -c32 /dev/urandom | base64` and export it as PULSE_SECRET_KEY on every host.";

    /// <summary>The key from PULSE_SECRET_KEY; null when unset. Throws <see cref="ArgumentException"/> when it is not 32 bytes of base64.</summary>
    public static AesGcmSecretProtector? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var bytes = new byte[64];
        if (!Convert.TryFromBase64String(value.Trim(), bytes, out var length) || length != 32)
            throw new ArgumentException($"{Variable} must be 32 random bytes in base64 (44 characters), e.g. from `head -c32 /dev/urandom | base64`.");
        return new AesGcmSecretProtector(bytes[..32]);
    }

    /// <summary>
    /// Records the key's fingerprint in a database that has none; when the database was set up with another key, the one line
    /// that says so (<paramref name="keyFile"/>: where this key came from when not from PULSE_SECRET_KEY). Null when the keys match.
    /// </summary>
    public static async Task<string?> MismatchAsync(IKeyFingerprintStore store, AesGcmSecretProtector key, string? keyFile, CancellationToken ct)
    {
        var mine = key.Fingerprint();
        var recorded = await store.ClaimAsync(mine, ct);
        if (recorded == mine) return null;
        var source = keyFile is null ? Variable : $"the key file {keyFile}";
        var fix = keyFile is null ? $"set the {Variable} that the database's other processes use" : $"restore that key file, or set {Variable} to the key the database was set up with";
        return $"{source} does not match the key this database was set up with (key fingerprint {mine[..8]}, the database's {recorded[..8]}): {fix}.";
    }
}
