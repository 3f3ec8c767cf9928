using System.Security.Cryptography;
using System.Text;

namespace Pulse.Server.Auth;

/// <summary>API keys: 32 random bytes shown once; only their SHA-256 is stored.</summary>
public static class ApiKeys
{
    public const string Prefix = "pk_";

    public static string NewKey() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Enough of the key to recognise it in a list, not enough to use it.</summary>
    public static string Display(string key) => key[..Math.Min(key.Length, Prefix.Length + 6)];

    public static bool SameSecret(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
