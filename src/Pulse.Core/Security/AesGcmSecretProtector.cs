using System.Security.Cryptography;
using System.Text;

namespace Pulse.Core.Security;

/// <summary>
/// AES-256-GCM with a key kept outside the database (an environment variable or a key file with
/// owner-only permissions), so a copied database file does not reveal the tokens in it.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    private const string Prefix = "v1:";
    private static readonly byte[] FingerprintLabel = Encoding.ASCII.GetBytes("pulse secret key fingerprint v1");
    private readonly byte[] _key;

    public AesGcmSecretProtector(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The secret key must be 32 bytes (AES-256).", nameof(key));
        _key = key;
    }

    /// <summary>Key from PULSE_SECRET_KEY (base64), else from <paramref name="keyFile"/>, created on first use.</summary>
    public static AesGcmSecretProtector FromEnvironmentOrFile(string keyFile)
    {
        var fromEnv = Environment.GetEnvironmentVariable("PULSE_SECRET_KEY");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return new AesGcmSecretProtector(Convert.FromBase64String(fromEnv));
        return new AesGcmSecretProtector(KeyFile.ReadOrCreate(keyFile));
    }

    /// <summary>
    /// Names the key without revealing it: HMAC-SHA256 of a fixed label under the key, in hex. Two processes hold the
    /// same key exactly when their fingerprints match; the database keeps the one it was set up with.
    /// </summary>
    public string Fingerprint() => Convert.ToHexStringLower(HMACSHA256.HashData(_key, FingerprintLabel));

    public string Protect(string secret)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var plain = Encoding.UTF8.GetBytes(secret);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag);
        return Prefix + Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Unprotect(string protectedSecret)
    {
        if (!protectedSecret.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("The stored token is not in a format this version can read.");
        var bytes = Convert.FromBase64String(protectedSecret[Prefix.Length..]);
        var nonce = bytes[..12];
        var tag = bytes[12..28];
        var cipher = bytes[28..];
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(_key, tag.Length);
        try
        {
            aes.Decrypt(nonce, cipher, tag, plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CryptographicException("The stored token cannot be decrypted with this key (PULSE_SECRET_KEY or the key file changed).");
        }
        return Encoding.UTF8.GetString(plain);
    }
}
